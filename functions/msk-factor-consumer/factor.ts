/**
 * Divisors of a positive integer, computed from its prime factorisation.
 *
 * The post's loop tests every candidate up to sqrt(n): about 3.2e7 modulo
 * operations for n near 10^15, whatever n is. Here trial division runs over 2,
 * 3 and then 6k +/- 1 only, divides each prime out as soon as it is found (so the
 * bound shrinks to the square root of what is left), and switches to Pollard's
 * rho with a Miller-Rabin primality test once the cofactor is large. The
 * divisors are then generated from the prime powers: sorted, with no repeats
 * (the post's code lists the root of a perfect square twice).
 *
 * Inputs are limited to Number.MAX_SAFE_INTEGER (2^53 - 1): above that a JSON
 * number is no longer exact, so such inputs are rejected with a RangeError.
 * The arithmetic for the Pollard/Miller-Rabin stage uses BigInt.
 */

/** Trial division handles everything up to this bound; larger cofactors go to Pollard rho. */
const TRIAL_LIMIT = 10_000;

/** Throws a RangeError unless `n` is a positive safe integer. */
export function assertFactorable(n: number): void {
    if (!Number.isSafeInteger(n) || n < 1) {
        throw new RangeError(`${n} is not a positive integer at most 2^53 - 1`);
    }
}

/** Below this, divisors come straight from a square-root loop (cheaper than factorising). */
const DIRECT_LIMIT = 4096;

/** Prime factorisation as parallel arrays of ascending primes and exponents (empty for 1). */
export function primeFactorArrays(n: number): { primes: number[]; exps: number[] } {
    assertFactorable(n);
    const primes: number[] = [];
    const exps: number[] = [];
    let m = n;
    const take = (p: number) => {
        let e = 0;
        while (m % p === 0) {
            m /= p;
            e++;
        }
        if (e > 0) {
            primes.push(p);
            exps.push(e);
        }
    };
    take(2);
    take(3);
    for (let d = 5; d <= TRIAL_LIMIT && d * d <= m; d += 6) {
        if (m % d === 0) {
            take(d);
        }
        if (m % (d + 2) === 0) {
            take(d + 2);
        }
    }
    if (m > 1) {
        if (m < TRIAL_LIMIT * TRIAL_LIMIT) {
            primes.push(m); // no factor <= sqrt(m) left: m is prime
            exps.push(1);
        } else {
            const big = splitLarge(BigInt(m))
                .map(Number)
                .sort((a, b) => a - b);
            for (const p of big) {
                if (primes[primes.length - 1] === p) {
                    exps[exps.length - 1]++;
                } else {
                    primes.push(p);
                    exps.push(1);
                }
            }
        }
    }
    return { primes, exps };
}

/** Prime factorisation as a map prime -> exponent (empty for 1). */
export function primeFactors(n: number): Map<number, number> {
    const { primes, exps } = primeFactorArrays(n);
    return new Map(primes.map((p, i) => [p, exps[i]]));
}

/** Sorted, unique divisors of `n` (1 -> [1], a prime p -> [1, p]). */
export function factor(n: number): number[] {
    if (n < DIRECT_LIMIT) {
        assertFactorable(n);
        // Small n: pair each divisor below the root with its cofactor; already sorted, root once.
        const low: number[] = [];
        const high: number[] = [];
        for (let x = 1; x * x <= n; x++) {
            if (n % x === 0) {
                low.push(x);
                if (x * x !== n) {
                    high.push(n / x);
                }
            }
        }
        for (let i = high.length - 1; i >= 0; i--) {
            low.push(high[i]);
        }
        return low;
    }
    const { primes, exps } = primeFactorArrays(n);
    let divisors = [1];
    for (let i = 0; i < primes.length; i++) {
        const p = primes[i];
        const size = divisors.length;
        let pk = 1;
        for (let k = 1; k <= exps[i]; k++) {
            pk *= p;
            for (let j = 0; j < size; j++) {
                divisors.push(divisors[j] * pk);
            }
        }
    }
    if (primes.length > 1) {
        divisors = divisors.sort((a, b) => a - b);
    }
    return divisors;
}

/**
 * The post's optimised loop (candidates 2..sqrt(n), both x and n/x appended),
 * re-implemented as the benchmark baseline. Kept faithful: it is unsorted and
 * repeats the root of a perfect square.
 */
export function factorBaseline(n: number): number[] {
    const factors = [1, n];
    const limit = 1 + Math.floor(Math.sqrt(n));
    for (let x = 2; x < limit; x++) {
        if (n % x === 0) {
            factors.push(x);
            factors.push(Math.floor(n / x));
        }
    }
    return factors;
}

// ---- BigInt helpers for cofactors above TRIAL_LIMIT^2 ----

function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
    let result = 1n;
    let b = base % mod;
    let e = exp;
    while (e > 0n) {
        if (e & 1n) {
            result = (result * b) % mod;
        }
        b = (b * b) % mod;
        e >>= 1n;
    }
    return result;
}

/** Deterministic Miller-Rabin for n < 3.3e24 (bases 2..41). */
export function isProbablePrime(n: bigint): boolean {
    if (n < 2n) {
        return false;
    }
    const bases = [2n, 3n, 5n, 7n, 11n, 13n, 17n, 19n, 23n, 29n, 31n, 37n, 41n];
    for (const p of bases) {
        if (n % p === 0n) {
            return n === p;
        }
    }
    let d = n - 1n;
    let s = 0;
    while ((d & 1n) === 0n) {
        d >>= 1n;
        s++;
    }
    outer: for (const a of bases) {
        let x = modPow(a, d, n);
        if (x === 1n || x === n - 1n) {
            continue;
        }
        for (let i = 1; i < s; i++) {
            x = (x * x) % n;
            if (x === n - 1n) {
                continue outer;
            }
        }
        return false;
    }
    return true;
}

function gcd(a: bigint, b: bigint): bigint {
    while (b) {
        [a, b] = [b, a % b];
    }
    return a < 0n ? -a : a;
}

/** Pollard's rho (Brent's variant): a non-trivial factor of composite odd n. */
function pollardRho(n: bigint): bigint {
    for (let c = 1n; ; c++) {
        const f = (x: bigint) => (x * x + c) % n;
        let y = 2n;
        let r = 1;
        let q = 1n;
        let g = 1n;
        let x = y;
        let ys = y;
        const m = 64;
        while (g === 1n) {
            x = y;
            for (let i = 0; i < r; i++) {
                y = f(y);
            }
            let k = 0;
            while (k < r && g === 1n) {
                ys = y;
                for (let i = 0; i < Math.min(m, r - k); i++) {
                    y = f(y);
                    q = (q * (x > y ? x - y : y - x)) % n;
                }
                g = gcd(q, n);
                k += m;
            }
            r *= 2;
        }
        if (g === n) {
            do {
                ys = f(ys);
                g = gcd(x > ys ? x - ys : ys - x, n);
            } while (g === 1n);
        }
        if (g !== n) {
            return g;
        }
        // Cycle without a split: retry with another constant.
    }
}

/** Prime factors (with repeats) of n, which has no prime factor <= TRIAL_LIMIT. */
function splitLarge(n: bigint): bigint[] {
    if (n === 1n) {
        return [];
    }
    if (isProbablePrime(n)) {
        return [n];
    }
    const r = isqrt(n);
    if (r * r === n) {
        const half = splitLarge(r);
        return [...half, ...half];
    }
    const d = pollardRho(n);
    return [...splitLarge(d), ...splitLarge(n / d)];
}

function isqrt(n: bigint): bigint {
    if (n < 2n) {
        return n;
    }
    let x = BigInt(Math.floor(Math.sqrt(Number(n))));
    while (x * x > n) {
        x--;
    }
    while ((x + 1n) * (x + 1n) <= n) {
        x++;
    }
    return x;
}
