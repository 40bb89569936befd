//! The words of the past year's demo events: the programme names of the district's report
//! (`reference/fengxian-quality-2023.zh.txt`: 贤质堂 trainings, 贤城质量义诊 going into parks,
//! companies and chambers of commerce, 质量开放日 at award winners, the standards, metrology
//! and brand days) and a place in each town to hold them.

use model::{Audience, Town};

/// Chinese and English.
pub(super) type Words = (&'static str, &'static str);

/// Where a town holds its events.
pub(super) struct Places {
    /// A community hall: residents' clinics, trainings, the days.
    pub hall: Words,
    /// The industrial park's service centre: clinics that go into parks and companies.
    pub park: Words,
    pub chamber: Words,
    /// A road of the town, to number: `奉贤区{zh}{n}号`, `{n} {en}, Fengxian`.
    pub road: Words,
}

#[rustfmt::skip]
const PLACES: &[(Town, Places)] = &[
    (Town::Nanqiao, Places { hall: ("南桥镇社区文化活动中心", "Nanqiao Community Cultural Centre"), park: ("奉贤经济开发区 企业服务中心", "Fengxian Economic Development Zone service centre"), chamber: ("南桥镇商会会议室", "Nanqiao Chamber of Commerce meeting room"), road: ("南桥镇南奉公路", "Nanfeng Highway, Nanqiao Town") }),
    (Town::Fengcheng, Places { hall: ("奉城镇社区文化活动中心", "Fengcheng Community Cultural Centre"), park: ("奉城工业园区 党群服务站", "Fengcheng Industrial Park community station"), chamber: ("奉城镇商会会议室", "Fengcheng Chamber of Commerce meeting room"), road: ("奉城镇南奉公路", "Nanfeng Highway, Fengcheng Town") }),
    (Town::Zhuanghang, Places { hall: ("庄行镇社区文化活动中心", "Zhuanghang Community Cultural Centre"), park: ("庄行工业园区 服务中心", "Zhuanghang Industrial Park service centre"), chamber: ("庄行镇商会会议室", "Zhuanghang Chamber of Commerce meeting room"), road: ("庄行镇南亭公路", "Nanting Highway, Zhuanghang Town") }),
    (Town::Jinhui, Places { hall: ("金汇镇社区文化活动中心", "Jinhui Community Cultural Centre"), park: ("金汇工业园区 服务中心", "Jinhui Industrial Park service centre"), chamber: ("金汇镇商会会议室", "Jinhui Chamber of Commerce meeting room"), road: ("金汇镇金汇路", "Jinhui Road, Jinhui Town") }),
    (Town::Situan, Places { hall: ("四团镇社区文化活动中心", "Situan Community Cultural Centre"), park: ("四团镇企业服务中心", "Situan Enterprise Service Centre"), chamber: ("四团镇商会会议室", "Situan Chamber of Commerce meeting room"), road: ("四团镇川南奉公路", "Chuannanfeng Highway, Situan Town") }),
    (Town::Qingcun, Places { hall: ("青村镇社区文化活动中心", "Qingcun Community Cultural Centre"), park: ("青村镇 食品产业园服务中心", "Qingcun Food Industry Park service centre"), chamber: ("青村镇商会会议室", "Qingcun Chamber of Commerce meeting room"), road: ("青村镇青村路", "Qingcun Road, Qingcun Town") }),
    (Town::Zhelin, Places { hall: ("柘林镇社区文化活动中心", "Zhelin Community Cultural Centre"), park: ("柘林工业园区 服务中心", "Zhelin Industrial Park service centre"), chamber: ("柘林镇商会会议室", "Zhelin Chamber of Commerce meeting room"), road: ("柘林镇沪杭公路", "Huhang Highway, Zhelin Town") }),
    (Town::Haiwan, Places { hall: ("海湾镇文化活动中心", "Haiwan Town Cultural Centre"), park: ("海湾工业园区 服务中心", "Haiwan Industrial Park service centre"), chamber: ("海湾镇商会会议室", "Haiwan Chamber of Commerce meeting room"), road: ("海湾镇五四公路", "Wusi Highway, Haiwan Town") }),
    (Town::Xidu, Places { hall: ("西渡街道社区文化活动中心", "Xidu Community Cultural Centre"), park: ("西渡工业园区 服务中心", "Xidu Industrial Park service centre"), chamber: ("西渡街道商会会议室", "Xidu Chamber of Commerce meeting room"), road: ("西渡街道西闸公路", "Xizha Highway, Xidu") }),
    (Town::Fengpu, Places { hall: ("奉浦街道社区党群服务中心", "Fengpu community service centre"), park: ("奉浦工业园区 服务中心", "Fengpu Industrial Park service centre"), chamber: ("奉浦街道商会会议室", "Fengpu Chamber of Commerce meeting room"), road: ("奉浦街道环城东路", "East Huancheng Road, Fengpu") }),
    (Town::Jinhai, Places { hall: ("金海街道社区文化活动中心", "Jinhai Community Cultural Centre"), park: ("金海街道 企业服务站", "Jinhai enterprise service station"), chamber: ("金海街道商会会议室", "Jinhai Chamber of Commerce meeting room"), road: ("金海街道金海公路", "Jinhai Highway, Jinhai") }),
    (Town::Dongfangmeigu, Places { hall: ("东方美谷 企业服务中心", "Oriental Beauty Valley enterprise service centre"), park: ("东方美谷 化妆品产业园服务中心", "Oriental Beauty Valley cosmetics park service centre"), chamber: ("东方美谷 企业联合会会议室", "Oriental Beauty Valley business federation meeting room"), road: ("东方美谷大道", "Oriental Beauty Valley Avenue") }),
];

pub(super) fn places(town: Town) -> &'static Places {
    PLACES
        .iter()
        .find(|(t, _)| *t == town)
        .map(|(_, p)| p)
        .unwrap_or(&PLACES[0].1)
}

/// Owned, for an event whose other words are made up as it is planned.
pub(super) fn words((zh, en): Words) -> (String, String) {
    (zh.to_string(), en.to_string())
}

/// The town's place of that kind.
pub(super) fn venue(town: Town, at: Venue) -> (String, String) {
    let places = places(town);
    words(match at {
        Venue::Hall => places.hall,
        Venue::Park => places.park,
        Venue::Chamber => places.chamber,
    })
}

/// 贤质堂 topics, as the report names them (数字化转型, 标准化文件起草, 首席质量官 and 标准化总监
/// 双培训, the 万千百 tools, the 东方美谷 packaging standard, the car-returns rules …).
#[rustfmt::skip]
pub(super) const TRAINING_TOPICS: &[(Words, Words)] = &[
    (("质量管理领域数字化转型", "digital transformation of quality management"), ("质量数据采集、过程监控与数字化质量管理工具，线上+线下同步。", "Collecting quality data, monitoring processes and digital quality tools; online and on site.")),
    (("标准化文件结构和起草规则", "structure and drafting of standards"), ("依据GB/T 1.1讲解团体标准、企业标准的编写方法。", "How to draft association and company standards under GB/T 1.1.")),
    (("首席质量官能力提升", "skills for chief quality officers"), ("质量战略、质量风险管控与质量成本分析，首席质量官“双培训”课程。", "Quality strategy, risk control and cost of quality, part of the chief quality officer course.")),
    (("标准化总监履职实务", "the standards director's work"), ("企业标准化总监的职责、标准体系建设与标准实施监督。", "What a standards director does: building a standards system and checking it is followed.")),
    (("卓越绩效模式与自评", "the performance excellence model and self-assessment"), ("卓越绩效评价准则解读，培养企业卓越绩效自评师。", "The performance excellence criteria, for companies' own assessors.")),
    (("5S现场管理", "5S on the shop floor"), ("整理、整顿、清扫、清洁、素养：现场改善方法与案例。", "Sort, set in order, shine, standardise, sustain: methods and cases.")),
    (("质量管理小组（QC小组）活动方法", "running quality circles"), ("QC小组的选题、分析工具与成果发布，“万千百”质量提升工程课程。", "Choosing a topic, the analysis tools and presenting results.")),
    (("《东方美谷化妆品内包材验收管理规范》宣贯", "the Oriental Beauty Valley standard for cosmetics packaging"), ("团体标准条款解读，面向化妆品生产企业及其包材供应商。", "The association standard clause by clause, for cosmetics makers and their packaging suppliers.")),
    (("《家用汽车产品修理更换退货责任规定》解读", "the rules on repairing, replacing and returning family cars"), ("“三包”责任、经营者义务与消费纠纷处理。", "Warranty duties, sellers' obligations and settling disputes.")),
    (("计量器具使用与管理", "using and managing measuring instruments"), ("强制检定目录、计量器具台账管理与常见违法情形。", "Instruments that must be verified, keeping records, common violations.")),
    (("食品企业“三合一”质量安全机制", "a food company's three-in-one safety system"), ("“首席质量官+标准化总监+食品安全总监”工作机制与案例。", "How a chief quality officer, a standards director and a food safety director work together.")),
    (("商业秘密保护实务", "protecting trade secrets"), ("商业秘密保护创新试点经验，企业保密制度建设。", "Lessons of the district's trade-secret pilot, and building a company's rules.")),
    (("特种设备安全管理", "safety of special equipment"), ("电梯、起重机械、压力容器的使用登记、维保与隐患排查。", "Registering, maintaining and inspecting lifts, cranes and pressure vessels.")),
    (("检验检测与认证认可政策", "testing, inspection and certification rules"), ("资质认定、认证有效性与检验检测报告的使用。", "Accreditation, valid certificates and using test reports.")),
];

/// The three ways 贤城质量义诊 goes to companies: into parks, companies, chambers of commerce.
pub(super) const CLINIC_VISITS: &[(Words, Venue)] = &[
    (
        (
            "贤城质量义诊·进园区",
            "Free quality clinic at the industrial park",
        ),
        Venue::Park,
    ),
    (
        ("贤城质量义诊·进企业", "Free quality clinic at your company"),
        Venue::Park,
    ),
    (
        (
            "贤城质量义诊·进商会",
            "Free quality clinic with the chamber of commerce",
        ),
        Venue::Chamber,
    ),
];

pub(super) const CLINIC_FOR_COMPANIES: Words = (
    "计量、标准、认证、检验检测、知识产权专家“面对面”宣讲政策法规，“一对一”解答企业疑难问题，“点对点”提升企业管理水平。",
    "Experts in metrology, standards, certification, testing and IP explain the rules face to face, answer companies' questions one to one and help them improve.",
);

/// Clinics for residents, in a town's hall or square.
#[rustfmt::skip]
pub(super) const RESIDENT_CLINICS: &[(Words, Words)] = &[
    (("市民质量义诊：家电、眼镜免费检测", "Residents' clinic: free checks of appliances and glasses"), ("免费检测眼镜度数、小家电安全，讲解消费品质量安全常识。", "Free checks of glasses and small appliances, with tips on product safety.")),
    (("市民质量义诊：燃气具安全检查", "Residents' clinic: gas appliance safety checks"), ("免费检查燃气灶软管与热水器，教您辨别劣质产品。", "Free checks of gas hoses and water heaters, and how to spot substandard products.")),
    (("市民质量义诊：电动自行车电池与充电器", "Residents' clinic: e-bike batteries and chargers"), ("检查电池、充电器与改装隐患，宣传电动自行车强制性国家标准。", "Checks of batteries, chargers and modifications, and the mandatory national standard.")),
    (("市民质量义诊：家用计量器具免费校准", "Residents' clinic: free checks of scales and monitors"), ("免费检定家用电子秤、血压计、体温计。", "Free checks of kitchen scales, blood-pressure monitors and thermometers.")),
    (("市民质量义诊：儿童用品安全", "Residents' clinic: safe children's products"), ("儿童玩具、童装、安全座椅的选购与使用。", "Choosing and using toys, children's clothes and car seats.")),
    (("市民质量义诊：食品安全快检", "Residents' clinic: quick food safety tests"), ("现场快检蔬菜农残，讲解食品标签与保质期。", "Quick pesticide tests on vegetables, and reading food labels.")),
];

#[derive(Clone, Copy)]
pub(super) enum Venue {
    Hall,
    Park,
    Chamber,
}

/// A 质量开放日 host: an award winner (made up), its town, what visitors see, and who may
/// come.
pub(super) struct OpenDayHost {
    pub host: Words,
    pub town: Town,
    pub title: Words,
    pub site: Words,
    /// Organisations: the report holds open days so that other companies learn the
    /// winner's management methods. Both where the site is one residents buy from (food,
    /// fruit), whose open days welcome the public too.
    pub audience: Audience,
}

#[rustfmt::skip]
pub(super) const OPEN_DAY_HOSTS: &[OpenDayHost] = &[
    OpenDayHost { host: ("上海贤澜化妆品有限公司", "Shanghai Xianlan Cosmetics Co., Ltd."), town: Town::Dongfangmeigu, title: ("质量开放日：化妆品灌装线与微生物实验室", "Quality open day: a cosmetics filling line and microbiology lab"), site: ("贤澜化妆品 生产基地", "Xianlan Cosmetics plant"), audience: Audience::Organisations },
    OpenDayHost { host: ("上海奉瑞生物医药有限公司", "Shanghai Fengrui Biomedicine Co., Ltd."), town: Town::Nanqiao, title: ("质量开放日：生物医药GMP洁净车间", "Quality open day: a biomedicine GMP clean room"), site: ("奉瑞生物医药 质量控制中心", "Fengrui Biomedicine quality control centre"), audience: Audience::Organisations },
    OpenDayHost { host: ("上海湾鑫精密机械股份有限公司", "Shanghai Wanxin Precision Machinery Co., Ltd."), town: Town::Haiwan, title: ("质量开放日：数字化质量管控中心", "Quality open day: a digital quality control centre"), site: ("湾鑫精密机械 总装车间", "Wanxin Precision Machinery assembly hall"), audience: Audience::Organisations },
    OpenDayHost { host: ("上海青禾源食品有限公司", "Shanghai Qingheyuan Foods Co., Ltd."), town: Town::Qingcun, title: ("质量开放日：食品企业“三合一”质量安全机制", "Quality open day: a food maker's three-in-one safety system"), site: ("青禾源食品 生产车间", "Qingheyuan Foods workshop"), audience: Audience::Both },
    OpenDayHost { host: ("上海汇邦新材料科技有限公司", "Shanghai Huibang New Materials Co., Ltd."), town: Town::Jinhui, title: ("质量开放日：工业水性涂料标准化生产", "Quality open day: standardised waterborne coatings"), site: ("汇邦新材料 研发中心", "Huibang New Materials R&D centre"), audience: Audience::Organisations },
    OpenDayHost { host: ("上海柘晟电气设备有限公司", "Shanghai Zhesheng Electrical Equipment Co., Ltd."), town: Town::Zhelin, title: ("质量开放日：卓越绩效管理实践", "Quality open day: performance excellence in practice"), site: ("柘晟电气 智能制造车间", "Zhesheng Electrical smart workshop"), audience: Audience::Organisations },
    OpenDayHost { host: ("上海庄梨果蔬专业合作社", "Shanghai Zhuangli Fruit Growers' Cooperative"), town: Town::Zhuanghang, title: ("质量开放日：蜜梨标准化种植基地", "Quality open day: a pear orchard grown to standard"), site: ("庄梨果蔬 种植基地", "Zhuangli orchard"), audience: Audience::Both },
    OpenDayHost { host: ("上海团辰汽车零部件有限公司", "Shanghai Tuanchen Auto Parts Co., Ltd."), town: Town::Situan, title: ("质量开放日：零缺陷生产线", "Quality open day: a zero-defect production line"), site: ("团辰汽车零部件 生产基地", "Tuanchen Auto Parts plant"), audience: Audience::Organisations },
];

/// (title, description) of the standards, metrology and brand days, each with a venue.
pub(super) type DayTheme = (Words, Words, Venue);

#[rustfmt::skip]
pub(super) const METROLOGY_DAY: &[DayTheme] = &[
    (("世界计量日：走进计量检定实验室", "World Metrology Day: inside the calibration lab"), ("参观计量检定实验室，了解身边的计量。", "Visit a calibration lab and see the measurement behind daily life."), Venue::Park),
    (("世界计量日：家用计量器具免费检定", "World Metrology Day: free checks of home instruments"), ("现场免费检定家用电子秤、血压计。", "Kitchen scales and blood-pressure monitors checked for free."), Venue::Hall),
    (("世界计量日：计量进社区", "World Metrology Day: metrology in the community"), ("集贸市场公平秤、加油机计量知识宣传。", "Fair scales at the market and honest petrol pumps explained."), Venue::Hall),
];

#[rustfmt::skip]
pub(super) const BRAND_DAY: &[DayTheme] = &[
    (("中国品牌日：东方美谷品牌展", "China Brand Day: Oriental Beauty Valley brand fair"), ("“美谷美购”品牌企业展示，了解“上海品牌”认证。", "Brands of the valley on show, and how Shanghai Brand certification works."), Venue::Hall),
    (("中国品牌日：老字号品牌故事会", "China Brand Day: stories of time-honoured brands"), ("本区上海老字号企业讲述品牌与质量传承。", "The district's time-honoured brands tell how they keep their quality."), Venue::Hall),
];

#[rustfmt::skip]
pub(super) const STANDARDS_DAY: &[DayTheme] = &[
    (("世界标准日：标准化知识进社区", "World Standards Day: standards in daily life"), ("标准化知识展板与有奖问答。", "Displays and a quiz on standards in daily life."), Venue::Hall),
    (("世界标准日：团体标准宣贯会", "World Standards Day: association standards briefing"), ("本区团体标准制定与实施经验交流。", "How the district's association standards were written and put to use."), Venue::Chamber),
    (("世界标准日：标准化试点项目成果展", "World Standards Day: pilot projects on show"), ("国家级、市级标准化试点示范项目成果展示。", "National and municipal standardisation pilots on show."), Venue::Park),
];

#[rustfmt::skip]
pub(super) const AWARD_BRIEFINGS: &[(Words, Words)] = &[
    (("区长质量奖申报政策宣讲会", "Briefing: applying for the District Mayor's Quality Award"), ("解读评审标准和申报流程，往届获奖组织分享经验。", "The criteria and the process explained; past winners share their experience.")),
    (("“上海品牌”认证培育宣讲会", "Briefing: preparing for Shanghai Brand certification"), ("“上海品牌”认证要求与培育梯队政策。", "What Shanghai Brand certification asks for, and the district's support.")),
    (("“专精特新”中小企业质量提升宣讲", "Briefing: quality support for specialised small firms"), ("中小企业“四位一体”质量提升培育机制解读。", "The district's four-part support for small firms' quality.")),
    (("首席质量官奖评价准则解读", "Briefing: the chief quality officer award criteria"), ("全市首个《区长质量奖首席质量官奖评价准则》解读。", "The city's first criteria for a chief quality officer award, explained.")),
];
