package dev.userfabric.adapter.oauth;

import java.math.BigInteger;
import java.util.BitSet;
import java.util.List;

/**
 * Recognises RSA moduli made by the flawed Infineon key generator (ROCA, CVE-2017-15361), whose
 * private keys can be factored from the public key. Such a modulus is, modulo each small prime
 * below, a power of 65537; a sound key passes all of these tests with negligible probability
 * (Nemec et al., "The Return of Coppersmith's Attack", CCS 2017, section 2.3).
 */
final class RocaFingerprint {

  private static final BigInteger GENERATOR = BigInteger.valueOf(65537);
  private static final List<Integer> PRIMES = List.of(3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43,
      47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151,
      157, 163, 167);
  /** For each prime, the residues that are powers of 65537 modulo it. */
  private static final List<BitSet> POWERS = PRIMES.stream().map(RocaFingerprint::powersOfGenerator).toList();

  private RocaFingerprint() {}

  static boolean matches(BigInteger modulus) {
    for (int i = 0; i < PRIMES.size(); i++) {
      int residue = modulus.mod(BigInteger.valueOf(PRIMES.get(i))).intValueExact();
      if (!POWERS.get(i).get(residue)) {
        return false;
      }
    }
    return true;
  }

  private static BitSet powersOfGenerator(int prime) {
    BitSet powers = new BitSet(prime);
    int generator = GENERATOR.mod(BigInteger.valueOf(prime)).intValueExact();
    int power = 1;
    do {
      powers.set(power);
      power = power * generator % prime;
    } while (power != 1);
    return powers;
  }
}
