//! A fixed-seed generator for demo content: every `cargo xtask run` makes the same year,
//! on every machine and with every version of the `rand` crate (whose `StdRng` promises
//! no stable sequence).

/// SplitMix64 (Steele, Lea and Flood 2014): small, fast and good enough for made-up data.
pub(super) struct Rng(u64);

impl Rng {
    pub(super) fn new(seed: u64) -> Self {
        Self(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0); the modulo bias is far below anything a demo shows.
    pub(super) fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// A number in `lo..=hi`.
    pub(super) fn between(&mut self, lo: u32, hi: u32) -> u32 {
        lo + self.below(u64::from(hi - lo) + 1) as u32
    }

    /// True `percent` times in a hundred.
    pub(super) fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub(super) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// A value from `(weight, value)` pairs, in proportion to the weights.
    pub(super) fn weighted<T: Copy>(&mut self, table: &[(u32, T)]) -> T {
        let total: u64 = table.iter().map(|(w, _)| u64::from(*w)).sum();
        let mut at = self.below(total);
        for &(w, value) in table {
            if at < u64::from(w) {
                return value;
            }
            at -= u64::from(w);
        }
        table[table.len() - 1].1
    }

    /// 32 random bits, for codes.
    pub(super) fn word(&mut self) -> u32 {
        (self.next_u64() >> 32) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_numbers() {
        let mut a = Rng::new(17);
        let mut b = Rng::new(17);
        let first: Vec<u64> = (0..5).map(|_| a.below(1000)).collect();
        assert_eq!(first, (0..5).map(|_| b.below(1000)).collect::<Vec<_>>());
        assert!((0..1000).all(|_| (3..=7).contains(&a.between(3, 7))));
    }
}
