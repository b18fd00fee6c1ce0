import Shamir
import Sodium

/// libsodium's ChaCha20 stream is the production randomness for Shamir coefficients and x-coordinates.
/// (`Shamir` imports nothing, `Sodium` knows nothing of Shamir: the layer above both joins them.)
extension StreamRandom: RandomSource {}
