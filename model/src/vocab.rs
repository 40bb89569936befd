//! The district's vocabulary: its towns and subdistricts, the kinds of Quality Month
//! event, and the two interface languages. Names come from the district's public report.

use serde::{Deserialize, Serialize};

/// Interface language. Chinese first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    #[serde(rename = "zh-CN")]
    Zh,
    #[serde(rename = "en")]
    En,
}

impl Lang {
    /// The BCP 47 tag for `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Self> {
        match tag {
            "zh-CN" | "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The other of the two: where a text was written in one language only.
    pub fn other(self) -> Self {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }
}

macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $slug:literal, $zh:literal, $en:literal;)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant,)* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// The stable identifier used in URLs, the API and the database.
            pub fn slug(self) -> &'static str {
                match self { $($name::$variant => $slug,)* }
            }

            pub fn from_slug(slug: &str) -> Option<Self> {
                match slug { $($slug => Some($name::$variant),)* _ => None }
            }

            pub fn name(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $(($name::$variant, Lang::Zh) => $zh,)*
                    $(($name::$variant, Lang::En) => $en,)*
                }
            }
        }
    };
}

vocabulary! {
    /// Fengxian's towns (镇) and subdistricts (街道), plus the development zones that host
    /// events.
    Town {
        Nanqiao = "nanqiao", "南桥镇", "Nanqiao Town";
        Fengcheng = "fengcheng", "奉城镇", "Fengcheng Town";
        Zhuanghang = "zhuanghang", "庄行镇", "Zhuanghang Town";
        Jinhui = "jinhui", "金汇镇", "Jinhui Town";
        Situan = "situan", "四团镇", "Situan Town";
        Qingcun = "qingcun", "青村镇", "Qingcun Town";
        Zhelin = "zhelin", "柘林镇", "Zhelin Town";
        Haiwan = "haiwan", "海湾镇", "Haiwan Town";
        Xidu = "xidu", "西渡街道", "Xidu Subdistrict";
        Fengpu = "fengpu", "奉浦街道", "Fengpu Subdistrict";
        Jinhai = "jinhai", "金海街道", "Jinhai Subdistrict";
        Dongfangmeigu = "dongfangmeigu", "东方美谷", "Oriental Beauty Valley";
    }
}

vocabulary! {
    /// Kinds of Quality Month event named in the district's programme.
    Category {
        LaunchCeremony = "launch_ceremony", "质量月启动仪式", "Launch ceremony";
        Training = "training", "贤质堂培训", "Xianzhitang training";
        Clinic = "clinic", "贤城质量义诊", "Free quality clinic";
        OpenDay = "open_day", "质量开放日", "Quality open day";
        MetrologyDay = "metrology_day", "世界计量日", "World Metrology Day";
        BrandDay = "brand_day", "中国品牌日", "China Brand Day";
        StandardsDay = "standards_day", "世界标准日", "World Standards Day";
        AwardBriefing = "award_briefing", "质量奖宣讲", "Quality award briefing";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_round_trip_and_match_serde() {
        for &town in Town::ALL {
            assert_eq!(Town::from_slug(town.slug()), Some(town));
            assert_eq!(serde_json::to_value(town).unwrap(), town.slug());
        }
        for &cat in Category::ALL {
            assert_eq!(Category::from_slug(cat.slug()), Some(cat));
            assert_eq!(serde_json::to_value(cat).unwrap(), cat.slug());
        }
        assert_eq!(Town::from_slug("atlantis"), None);
    }

    #[test]
    fn names_in_both_languages() {
        assert_eq!(Town::Nanqiao.name(Lang::Zh), "南桥镇");
        assert_eq!(Category::Clinic.name(Lang::En), "Free quality clinic");
    }

    #[test]
    fn language_tags() {
        assert_eq!(Lang::from_tag(Lang::En.tag()), Some(Lang::En));
        assert_eq!(Lang::from_tag("zh"), Some(Lang::Zh));
        assert_eq!(Lang::from_tag("fr"), None);
        assert_eq!(serde_json::to_value(Lang::Zh).unwrap(), "zh-CN");
    }
}
