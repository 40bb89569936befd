//! Demo organisations that take part in Quality Month: Fengxian companies (东方美谷's
//! cosmetics and biomedicine makers among them), farmers' cooperatives, chambers of commerce
//! and trade associations. All made up: names are put together from parts, and credit codes
//! are invented bodies with the real check characters (GB 11714 for the organisation code
//! inside, GB 32100 for the last), so they pass every check without being any real one's.

use super::people;
use super::rng::Rng;
use model::{CreditCode, Town};
use std::collections::HashSet;

pub(super) struct DemoOrganisation {
    pub name: String,
    pub credit_code: String,
    pub town: Town,
    /// How often it takes part, against the others: a few come to nearly everything.
    pub keenness: u32,
    /// Who signs it up, and the number they verified.
    pub contact: String,
    pub phone: String,
}

/// How many organisations the demo district has.
const POOL: usize = 320;

/// The same pool every time: the upcoming events and the past year both draw on it, so the
/// companies that came last year are among those signing up now.
pub(super) fn pool() -> Vec<DemoOrganisation> {
    let mut rng = Rng::new(17);
    let mut pool = Pool::default();
    for &town in Town::ALL {
        if town != Town::Dongfangmeigu {
            let name = format!("上海市奉贤区{}商会", town.name(model::Lang::Zh));
            pool.add(&mut rng, name, Register::Society, town, 12);
        }
    }
    for trade in ["化妆品", "食品", "机械制造", "物流", "生物医药"] {
        let name = format!("上海市奉贤区{trade}行业协会");
        pool.add(&mut rng, name, Register::Society, Town::Nanqiao, 8);
    }
    const FARMING: [Town; 5] = [
        Town::Zhuanghang,
        Town::Jinhui,
        Town::Qingcun,
        Town::Situan,
        Town::Haiwan,
    ];
    while pool.orgs.len() < 35 {
        let produce = rng.pick(&["蜜梨", "黄桃", "蔬菜", "水产", "稻米", "葡萄", "食用菌"]);
        let name = format!("上海{}{produce}专业合作社", trade_name(&mut rng));
        let town = *rng.pick(&FARMING);
        let keenness = keenness(&mut rng);
        pool.add(&mut rng, name, Register::Cooperative, town, keenness);
    }
    while pool.orgs.len() < POOL {
        let &(industry, beauty) = rng.pick(INDUSTRIES);
        let form = if rng.chance(12) {
            "股份有限公司"
        } else {
            "有限公司"
        };
        let name = format!("上海{}{industry}{form}", trade_name(&mut rng));
        let town = if beauty && rng.chance(65) {
            Town::Dongfangmeigu
        } else {
            *rng.pick(Town::ALL)
        };
        let keenness = keenness(&mut rng);
        pool.add(&mut rng, name, Register::Company, town, keenness);
    }
    pool.orgs
}

#[derive(Default)]
struct Pool {
    orgs: Vec<DemoOrganisation>,
    names: HashSet<String>,
    codes: HashSet<String>,
}

impl Pool {
    /// Adds an organisation unless one of that name is already in.
    fn add(&mut self, rng: &mut Rng, name: String, kind: Register, town: Town, keenness: u32) {
        if !self.names.insert(name.clone()) {
            return;
        }
        let credit_code = loop {
            let code = credit_code(rng, kind);
            if self.codes.insert(code.clone()) {
                break code;
            }
        };
        let phone = format!("1371000{:04}", self.orgs.len());
        self.orgs.push(DemoOrganisation {
            name,
            credit_code,
            town,
            keenness,
            contact: people::name(rng),
            phone,
        });
    }
}

/// Industries of Fengxian's parks; `true` where 东方美谷 (cosmetics, biomedicine) draws them.
#[rustfmt::skip]
const INDUSTRIES: &[(&str, bool)] = &[
    ("精密机械", false), ("化妆品", true), ("生物科技", true), ("日用化学品", true),
    ("食品", false), ("新材料", false), ("电气设备", false), ("包装材料", true),
    ("医疗器械", true), ("汽车零部件", false), ("环保科技", false), ("塑料制品", false),
    ("五金制品", false), ("检测技术", false), ("电子科技", false), ("智能装备", false),
    ("物流", false), ("印务", false), ("服饰", false), ("建材", false), ("涂料", false),
    ("制药", true), ("香精香料", true), ("电梯工程", false),
];

/// A two-character 字号 such as a registry holds by the thousand.
fn trade_name(rng: &mut Rng) -> String {
    const FIRST: [&str; 24] = [
        "贤", "奉", "湾", "美", "汇", "华", "鑫", "博", "瑞", "恒", "嘉", "德", "泰", "宏", "聚",
        "兴", "正", "丰", "凯", "佳", "盛", "卓", "澜", "谷",
    ];
    const SECOND: [&str; 20] = [
        "达", "禾", "源", "诚", "信", "创", "优", "宇", "邦", "联", "晟", "益", "锐", "航", "越",
        "辰", "维", "科", "韵", "通",
    ];
    format!("{}{}", rng.pick(&FIRST), rng.pick(&SECOND))
}

/// Most take part now and then; a few at nearly every event of their town.
fn keenness(rng: &mut Rng) -> u32 {
    *rng.pick(&[1, 1, 1, 1, 2, 2, 2, 3, 3, 4, 5, 6, 8, 10])
}

/// Who registered the organisation: 登记管理部门 and 机构类别, the code's first two
/// characters.
#[derive(Clone, Copy)]
enum Register {
    /// 工商 (9), 企业 (1).
    Company,
    /// 工商 (9), 农民专业合作社 (3).
    Cooperative,
    /// 民政 (5), 社会团体 (1): chambers of commerce and trade associations.
    Society,
}

/// 奉贤区's division code (GB/T 2260), the code's characters 3 to 8.
const FENGXIAN: &str = "310120";

/// A credit code of `kind` registered in 奉贤区, whose body is invented.
fn credit_code(rng: &mut Rng, kind: Register) -> String {
    let alphabet = CreditCode::ALPHABET;
    let (register, body): (&str, String) = match kind {
        // Codes given since 2015 carry an organisation code beginning MA.
        Register::Company | Register::Cooperative => {
            let rest: String = (0..5).map(|_| char::from(*rng.pick(alphabet))).collect();
            let register = if matches!(kind, Register::Company) {
                "91"
            } else {
                "93"
            };
            (register, format!("MA1{rest}"))
        }
        Register::Society => ("51", format!("50{:06}", rng.below(1_000_000))),
    };
    let first17 = format!("{register}{FENGXIAN}{body}{}", organisation_check(&body));
    format!(
        "{first17}{}",
        char::from(CreditCode::check_character(&first17))
    )
}

/// GB 11714's check character of an 8-character organisation code body.
fn organisation_check(body: &str) -> char {
    const WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
    let value = |b: u8| match b {
        b'0'..=b'9' => u32::from(b - b'0'),
        _ => u32::from(b - b'A') + 10,
    };
    let sum: u32 = body.bytes().zip(WEIGHTS).map(|(b, w)| value(b) * w).sum();
    match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        c => char::from(b'0' + c as u8),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pool_has_distinct_valid_codes_and_names() {
        let pool = pool();
        assert_eq!(pool.len(), POOL);
        let codes: HashSet<&str> = pool.iter().map(|o| o.credit_code.as_str()).collect();
        assert_eq!(codes.len(), POOL);
        for o in &pool {
            assert!(
                CreditCode::parse(&o.credit_code).is_ok(),
                "{}",
                o.credit_code
            );
            assert!(
                model::OrganisationName::parse(&o.name).is_ok(),
                "{}",
                o.name
            );
            assert!(model::PhoneNumber::parse(&o.phone).is_ok(), "{}", o.phone);
        }
        assert_eq!(pool[0].name, self::pool()[0].name, "the same every time");
    }

    #[test]
    fn organisation_codes_check_like_published_ones() {
        // 华为技术有限公司's organisation code, inside 914403001922038216.
        assert_eq!(organisation_check("19220382"), '1');
    }
}
