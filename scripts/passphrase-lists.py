#!/usr/bin/env python3
"""Builds the word lists of Escrow's passphrase strength estimator (Sources/Escrow/Resources/PassphraseLists).

english.txt and names.txt come from the Debian package wamerican (/usr/share/dict/words; apt-get install wamerican):
lowercase words of 3+ letters, and capitalised entries (first names, surnames, places) lower-cased. Each word's rank
(1 = most common) is its frequency in the English text already on a Debian machine (manual pages, info manuals,
package documentation, Python's standard library): a rough stand-in for frequency in ordinary writing, good enough
for an attacker's guessing order. Words never seen come after, shorter first.

passwords.txt is written below by hand: the best known entries of the public most-common-password lists, in their
usual order, plus the words people build passwords from. Nothing is downloaded.

Format of every file: one `word rank` per line, sorted by the word's bytes (the estimator binary-searches it).
Run: python3 scripts/passphrase-lists.py (takes a minute or two).
"""
import collections
import gzip
import os
import re
import sys

OUT = os.path.join(os.path.dirname(__file__), "..", "Sources", "Escrow", "Resources", "PassphraseLists")
TOKEN = re.compile(rb"[A-Za-z]+")
BUDGET = 400 << 20  # bytes of text read at most


def corpus_files():
    roots = ["/usr/share/man", "/usr/share/info", "/usr/share/doc", "/usr/lib/python3.11", "/usr/lib/python3"]
    for root in roots:
        for directory, _, files in os.walk(root):
            for name in sorted(files):
                if name.endswith((".gz", ".txt", ".py", ".md", ".rst", ".html")) or "." not in name:
                    yield os.path.join(directory, name)


def frequencies():
    counts = collections.Counter()
    read = 0
    for path in corpus_files():
        if read > BUDGET:
            break
        try:
            if os.path.islink(path) or os.path.getsize(path) > 20 << 20:
                continue
            with (gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb")) as handle:
                data = handle.read(8 << 20)
        except (OSError, EOFError, gzip.BadGzipFile):
            continue
        read += len(data)
        counts.update(token.lower() for token in TOKEN.findall(data))
    return counts


def ranked(words, counts):
    seen = sorted((w for w in words if counts[w.encode()] > 0), key=lambda w: (-counts[w.encode()], w))
    unseen = sorted((w for w in words if counts[w.encode()] == 0), key=lambda w: (len(w), w))
    return {word: rank for rank, word in enumerate(seen + unseen, start=1)}


def write(name, ranks):
    with open(os.path.join(OUT, name), "w", encoding="ascii") as handle:
        for word in sorted(ranks, key=lambda w: w.encode()):
            handle.write(f"{word} {ranks[word]}\n")
    print(f"{name}: {len(ranks)} words", file=sys.stderr)


# Most common passwords, in order (the top of the widely published lists), then the words they are made of.
PASSWORDS = """
123456 password 12345678 qwerty 123456789 12345 1234 111111 1234567 dragon 123123 baseball abc123 football monkey
letmein 696969 shadow master 666666 qwertyuiop 123321 mustang 1234567890 michael 654321 superman 1qaz2wsx 7777777
121212 000000 qazwsx 123qwe killer trustno1 jordan jennifer zxcvbnm asdfgh hunter buster soccer harley batman andrew
tigger sunshine iloveyou 2000 charlie robert thomas hockey ranger daniel starwars klaster 112233 george computer
michelle jessica pepper 1111 zxcvbn 555555 11111111 131313 freedom 777777 pass maggie 159753 aaaaaa ginger princess
joshua cheese amanda summer love ashley nicole chelsea biteme matthew access yankees 987654321 dallas austin thunder
taylor matrix mobilemail mom monitor monitoring montana moon moscow welcome admin login passw0rd password1 password123
qwerty123 1q2w3e4r 1q2w3e4r5t 123abc abcd1234 letmein1 welcome1 admin123 root toor changeme secret default guest
test test123 user demo hello hello123 iloveyou1 sunshine1 princess1 football1 monkey1 charlie1 shadow1 master1
dragon1 baseball1 superman1 batman1 trustno1 whatever qwerty1 azerty 123456a a123456 1qazxsw2 zaq12wsx q1w2e3r4
q1w2e3r4t5 qweasd qweasdzxc asdfghjkl asdf1234 1234qwer qwer1234 password12 passw0rd1 p4ssw0rd pa55word pass123
pass1234 abc12345 aa123456 secret1 letmein123 welcome123 master123 admin1 administrator love123 iloveu lovely
flower freedom1 jesus jesus1 blessed angel angel1 angels heaven samsung apple google facebook linkedin twitter
amazon microsoft windows linux ubuntu oracle cisco internet computer1 server network cloud aws azure
spring autumn winter summer1 winter1 spring1 autumn1 january february march april may june july august september
october november december monday tuesday wednesday thursday friday saturday sunday
starwars1 pokemon naruto killer1 hunter2 hunter1 ranger1 soccer1 hockey1 baseball2 football2 jordan23 michael1
jennifer1 jessica1 ashley1 nicole1 daniel1 andrew1 joshua1 matthew1 robert1 thomas1 george1 william william1
mercedes ferrari porsche corvette mustang1 chevy harley1 yamaha honda toyota nissan bmw audi
cookie cookie1 chocolate butterfly purple orange banana banana1 cherry pepper1 ginger1 maggie1 buster1 tigger1
liverpool arsenal chelsea1 barcelona realmadrid manchester united juventus
trustme letmeout opensesame abracadabra zzzzzz xxxxxx qqqqqq 1111111 0000 00000000 999999 888888 222222 333333
444444 987654 7654321 87654321 0987654321 12341234 11223344 123654 147258369 159357 741852963 963852741
qwe123 asd123 zxc123 qwe qwerty12 qwertyu asdfg zxcvb 1qaz 2wsx 3edc qazwsxedc !qaz2wsx 1q2w3e 1qaz2wsx3edc
passport passcode pincode password! password1! p@ssword p@ssw0rd p@55w0rd passwort motdepasse contrasena senha
solo master12 shadow12 access14 mustang12 letmein12 football12 baseball12
""".split()


def main():
    os.makedirs(OUT, exist_ok=True)
    words = [line.strip() for line in open("/usr/share/dict/words", encoding="utf-8", errors="replace")]
    english = {w for w in words if re.fullmatch(r"[a-z]{3,}", w)}
    names = {w.lower() for w in words if re.fullmatch(r"[A-Z][a-z]{2,}", w)}
    counts = frequencies()
    write("english.txt", ranked(english, counts))
    write("names.txt", ranked(names, counts))
    passwords = {}
    for word in PASSWORDS:
        passwords.setdefault(word.lower(), len(passwords) + 1)
    write("passwords.txt", passwords)


if __name__ == "__main__":
    main()
