//! Demo content: Quality Month events across Fengxian's towns, of every kind the district's
//! programme names, dated relative to the day the database is filled so that upcoming
//! events always exist. Some are nearly full, one is full, one is cancelled. Trainings and
//! clinics take residents and organisations alike (the report's 贤质堂 and 贤城质量义诊 go
//! into parks, companies and chambers of commerce); an open day that shows a company's
//! management methods is for organisations, one at a site residents buy from (food, fruit,
//! a lab open to students) takes both; award briefings are for organisations.

use super::organisations;
use crate::error::{AppError, AppResult};
use crate::store::{NewEvent, Store};
use model::{
    Audience, BeijingTime, Category, EventStatus, Localized, NewOrganisation, NewRegistration, Town,
};

struct DemoEvent {
    category: Category,
    town: Town,
    /// Days from today (Beijing).
    day: i64,
    /// Start, minutes after midnight.
    start: u16,
    minutes: u16,
    capacity: u32,
    taken: u32,
    cancelled: bool,
    audience: Audience,
    /// The host town's government (launch ceremony) or the award winner (open day).
    host: Option<(&'static str, &'static str)>,
    title: (&'static str, &'static str),
    venue: (&'static str, &'static str),
    address: (&'static str, &'static str),
    description: (&'static str, &'static str),
}

pub(super) const SAMR: (&str, &str) = (
    "奉贤区市场监督管理局",
    "Fengxian District Administration for Market Regulation",
);

use Audience::*;
use Category::*;
use Town::*;

#[rustfmt::skip]
const EVENTS: &[DemoEvent] = &[
    // Tomorrow, with real sign-ups (SIGNED_UP): the reminders go out this evening.
    DemoEvent { category: Training, town: Nanqiao, day: 1, start: 14 * 60, minutes: 120, capacity: 40, taken: 0, cancelled: false, audience: Both, host: None,
        title: ("贤质堂·质量管理小组活动培训", "Xianzhitang training: quality circles"),
        venue: ("南桥镇 贤质堂培训室", "Xianzhitang training room, Nanqiao"),
        address: ("奉贤区南桥镇南奉公路8519号", "8519 Nanfeng Road, Nanqiao Town, Fengxian"),
        description: ("面向企业质量管理人员，讲解QC小组活动的选题、分析工具与成果发布。", "For companies' quality staff: choosing a quality-circle topic, the analysis tools, presenting results.") },
    DemoEvent { category: LaunchCeremony, town: Haiwan, day: 2, start: 9 * 60 + 30, minutes: 120, capacity: 300, taken: 262, cancelled: false, audience: Both, host: Some(("海湾镇人民政府", "Haiwan Town Government")),
        title: ("2026年奉贤区“质量月”启动仪式", "Fengxian Quality Month 2026 launch ceremony"),
        venue: ("海湾镇文化活动中心", "Haiwan Town Cultural Centre"),
        address: ("奉贤区海湾镇海湾路1号", "1 Haiwan Road, Haiwan Town, Fengxian"),
        description: ("质量月旗帜由奉城镇传递至海湾镇。仪式上将发布本年度质量提升行动计划，并为质量标杆企业授牌。", "The Quality Month flag passes from Fengcheng to Haiwan. The year's quality improvement plan is announced and benchmark companies receive their plaques.") },
    DemoEvent { category: Training, town: Nanqiao, day: 3, start: 14 * 60, minutes: 150, capacity: 80, taken: 41, cancelled: false, audience: Both, host: None,
        title: ("贤质堂：质量管理领域数字化转型", "Xianzhitang: digital transformation of quality management"),
        venue: ("奉贤区行政服务中心 三楼报告厅", "Fengxian Administrative Service Centre, 3F lecture hall"),
        address: ("奉贤区南桥镇望园路1511号", "1511 Wangyuan Road, Nanqiao Town, Fengxian"),
        description: ("面向中小企业质量负责人，讲解质量数据采集、过程监控与数字化质量管理工具，线上同步直播。", "For quality managers of small and medium firms: collecting quality data, monitoring processes and digital quality tools. Also streamed online.") },
    DemoEvent { category: Clinic, town: Fengpu, day: 4, start: 9 * 60, minutes: 180, capacity: 40, taken: 36, cancelled: false, audience: Both, host: None,
        title: ("贤城质量义诊·进园区", "Free quality clinic at the industrial park"),
        venue: ("奉浦工业园区 服务中心", "Fengpu Industrial Park service centre"),
        address: ("奉贤区奉浦大道111号", "111 Fengpu Avenue, Fengxian"),
        description: ("计量、标准、认证、检验检测专家“面对面”解答企业疑难问题，“一对一”提出改进建议。", "Experts in metrology, standards, certification and testing answer companies' questions face to face and give one-to-one advice.") },
    DemoEvent { category: OpenDay, town: Dongfangmeigu, day: 5, start: 10 * 60, minutes: 120, capacity: 30, taken: 30, cancelled: false, audience: Organisations, host: Some(("伽蓝集团", "Jala Group")),
        title: ("质量开放日：走进政府质量奖获奖企业", "Quality open day at a Government Quality Award winner"),
        venue: ("东方美谷 伽蓝集团生产基地", "Jala Group plant, Oriental Beauty Valley"),
        address: ("奉贤区东方美谷大道6655号", "6655 Oriental Beauty Valley Avenue, Fengxian"),
        description: ("参观化妆品生产线与质量实验室，了解“首席质量官”制度如何落地。", "Visit a cosmetics production line and quality lab, and see how the chief quality officer system works in practice.") },
    DemoEvent { category: Clinic, town: Zhuanghang, day: 6, start: 9 * 60, minutes: 150, capacity: 60, taken: 12, cancelled: false, audience: Both, host: None,
        title: ("贤城质量义诊·进商会", "Free quality clinic with the chamber of commerce"),
        venue: ("庄行镇商会会议室", "Zhuanghang Chamber of Commerce meeting room"),
        address: ("奉贤区庄行镇南亭公路1000号", "1000 Nanting Highway, Zhuanghang Town, Fengxian"),
        description: ("为商会会员企业提供质量管理体系、产品标准和知识产权咨询。", "Advice for member companies on quality management systems, product standards and intellectual property.") },
    DemoEvent { category: Training, town: Jinhui, day: 7, start: 14 * 60, minutes: 120, capacity: 60, taken: 55, cancelled: false, audience: Both, host: None,
        title: ("贤质堂：标准化文件结构和起草规则", "Xianzhitang: structure and drafting of standards"),
        venue: ("金汇镇社区文化活动中心", "Jinhui Community Cultural Centre"),
        address: ("奉贤区金汇镇金汇路500号", "500 Jinhui Road, Jinhui Town, Fengxian"),
        description: ("依据GB/T 1.1讲解团体标准、企业标准的编写方法，现场答疑。", "How to draft association and company standards under GB/T 1.1, with questions answered on the spot.") },
    DemoEvent { category: Clinic, town: Nanqiao, day: 8, start: 9 * 60, minutes: 240, capacity: 120, taken: 18, cancelled: false, audience: Both, host: None,
        title: ("市民质量义诊日：家电、眼镜免费检测", "Residents' quality clinic: free checks of appliances and glasses"),
        venue: ("南桥镇 古华公园南门广场", "Guhua Park south gate square, Nanqiao"),
        address: ("奉贤区南桥镇解放东路", "East Jiefang Road, Nanqiao Town, Fengxian"),
        description: ("免费检测眼镜度数、家用血压计与电子秤准确度，讲解消费品质量安全常识。", "Free checks of glasses prescriptions, home blood-pressure monitors and kitchen scales, with tips on consumer product safety.") },
    DemoEvent { category: AwardBriefing, town: Xidu, day: 9, start: 14 * 60 + 30, minutes: 90, capacity: 50, taken: 22, cancelled: false, audience: Organisations, host: None,
        title: ("政府质量奖申报政策宣讲会", "Briefing: applying for the Government Quality Award"),
        venue: ("西渡街道社区事务受理中心", "Xidu Community Affairs Centre"),
        address: ("奉贤区西渡街道西闸公路500号", "500 Xizha Highway, Xidu, Fengxian"),
        description: ("解读区政府质量奖评审标准和申报流程，往届获奖组织分享经验。", "The award's criteria and application process explained; past winners share their experience.") },
    DemoEvent { category: OpenDay, town: Qingcun, day: 10, start: 9 * 60 + 30, minutes: 120, capacity: 40, taken: 33, cancelled: false, audience: Both, host: Some(("上海青禾源食品有限公司", "Shanghai Qingheyuan Foods Co., Ltd.")),
        title: ("质量开放日：食品企业“三合一”质量安全机制", "Quality open day: a food maker's three-in-one safety system"),
        venue: ("青村镇 食品产业园", "Qingcun Food Industry Park"),
        address: ("奉贤区青村镇青村路2000号", "2000 Qingcun Road, Qingcun Town, Fengxian"),
        description: ("了解“首席质量官+标准化总监+食品安全总监”工作机制，参观生产车间。", "See how a chief quality officer, a standards director and a food safety director work together, and tour the workshop.") },
    DemoEvent { category: Training, town: Situan, day: 11, start: 9 * 60 + 30, minutes: 180, capacity: 50, taken: 9, cancelled: false, audience: Both, host: None,
        title: ("贤质堂：计量器具使用与管理", "Xianzhitang: using and managing measuring instruments"),
        venue: ("四团镇企业服务中心", "Situan Enterprise Service Centre"),
        address: ("奉贤区四团镇川南奉公路8000号", "8000 Chuannanfeng Highway, Situan Town, Fengxian"),
        description: ("讲解强制检定目录、计量器具台账管理与常见违法情形。", "Instruments that must be verified, keeping instrument records, and common violations.") },
    DemoEvent { category: Clinic, town: Fengcheng, day: 12, start: 9 * 60, minutes: 180, capacity: 60, taken: 58, cancelled: false, audience: Both, host: None,
        title: ("贤城质量义诊·进企业", "Free quality clinic at your company"),
        venue: ("奉城镇工业园区 党群服务站", "Fengcheng Industrial Park community station"),
        address: ("奉贤区奉城镇南奉公路9500号", "9500 Nanfeng Highway, Fengcheng Town, Fengxian"),
        description: ("专家进企业诊断生产过程质量问题，提供检验检测资源对接。", "Experts visit companies to diagnose production quality problems and connect them with testing labs.") },
    DemoEvent { category: StandardsDay, town: Jinhai, day: 13, start: 10 * 60, minutes: 120, capacity: 100, taken: 47, cancelled: false, audience: Residents, host: None,
        title: ("世界标准日主题宣传活动", "World Standards Day community event"),
        venue: ("金海街道 市民广场", "Jinhai Citizens' Square"),
        address: ("奉贤区金海街道金海公路6055号", "6055 Jinhai Highway, Jinhai, Fengxian"),
        description: ("标准化知识展板、有奖问答，了解身边的标准化试点项目。", "Displays and a quiz on standards in daily life, and the pilot projects near you.") },
    DemoEvent { category: Training, town: Zhelin, day: 15, start: 14 * 60, minutes: 120, capacity: 80, taken: 0, cancelled: true, audience: Both, host: None,
        title: ("贤质堂：质量管理小组（QC小组）活动方法", "Xianzhitang: running quality circles"),
        venue: ("柘林镇社区文化活动中心", "Zhelin Community Cultural Centre"),
        address: ("奉贤区柘林镇沪杭公路3000号", "3000 Huhang Highway, Zhelin Town, Fengxian"),
        description: ("本场培训因场地调整取消，将另行通知。", "This session is cancelled because the venue is unavailable; a new date will be announced.") },
    DemoEvent { category: Clinic, town: Haiwan, day: 16, start: 9 * 60, minutes: 180, capacity: 80, taken: 20, cancelled: false, audience: Both, host: None,
        title: ("市民质量义诊：燃气具与电动自行车安全检查", "Residents' clinic: gas appliance and e-bike safety checks"),
        venue: ("海湾镇 社区服务中心广场", "Haiwan Community Service Centre square"),
        address: ("奉贤区海湾镇五四公路4399号", "4399 Wusi Highway, Haiwan Town, Fengxian"),
        description: ("免费检查燃气灶软管、电动自行车电池与充电器，教您辨别劣质产品。", "Free checks of gas hoses, e-bike batteries and chargers, and how to spot substandard products.") },
    DemoEvent { category: OpenDay, town: Nanqiao, day: 18, start: 9 * 60 + 30, minutes: 150, capacity: 35, taken: 30, cancelled: false, audience: Both, host: Some(("上海奉瑞生物医药有限公司", "Shanghai Fengrui Biomedicine Co., Ltd.")),
        title: ("质量开放日：生物医药企业质量实验室", "Quality open day: a biomedicine quality lab"),
        venue: ("奉贤经济开发区 生物医药产业园", "Fengxian Economic Development Zone biomedicine park"),
        address: ("奉贤区南桥镇金海公路1588号", "1588 Jinhai Highway, Nanqiao Town, Fengxian"),
        description: ("参观GMP洁净车间与质量控制实验室，面向市民和学生开放。", "Tour a GMP clean room and quality control lab; open to residents and students.") },
    DemoEvent { category: AwardBriefing, town: Dongfangmeigu, day: 20, start: 14 * 60, minutes: 120, capacity: 60, taken: 14, cancelled: false, audience: Organisations, host: None,
        title: ("质量标杆经验分享会", "Quality benchmark companies share their methods"),
        venue: ("东方美谷 企业服务中心", "Oriental Beauty Valley enterprise service centre"),
        address: ("奉贤区望园南路1288号", "1288 South Wangyuan Road, Fengxian"),
        description: ("上海市质量标杆企业分享卓越绩效模式和数字化质量管理实践。", "Shanghai quality benchmark companies share performance excellence and digital quality practice.") },
    DemoEvent { category: MetrologyDay, town: Nanqiao, day: 22, start: 9 * 60, minutes: 240, capacity: 150, taken: 64, cancelled: false, audience: Residents, host: None,
        title: ("世界计量日：走进计量检定实验室", "World Metrology Day: inside the calibration lab"),
        venue: ("奉贤区计量所", "Fengxian Metrology Institute"),
        address: ("奉贤区南桥镇运河北路199号", "199 North Yunhe Road, Nanqiao Town, Fengxian"),
        description: ("参观计量检定实验室，现场免费检定家用电子秤、血压计。", "Visit the calibration lab and have your kitchen scale or blood-pressure monitor checked for free.") },
    DemoEvent { category: BrandDay, town: Dongfangmeigu, day: 25, start: 10 * 60, minutes: 180, capacity: 200, taken: 71, cancelled: false, audience: Residents, host: None,
        title: ("中国品牌日：东方美谷品牌展", "China Brand Day: Oriental Beauty Valley brand fair"),
        venue: ("东方美谷 JW万豪酒店会展中心", "Oriental Beauty Valley convention centre"),
        address: ("奉贤区金海公路6055号", "6055 Jinhai Highway, Fengxian"),
        description: ("“美谷美购”品牌企业展示，了解“上海品牌”认证与区域品牌建设。", "Brands of the valley on show, and how Shanghai Brand certification works.") },
    DemoEvent { category: Clinic, town: Jinhui, day: 27, start: 9 * 60, minutes: 180, capacity: 50, taken: 5, cancelled: false, audience: Both, host: None,
        title: ("贤城质量义诊·进乡村", "Free quality clinic in the villages"),
        venue: ("金汇镇 百曲村村民中心", "Baiqu Village centre, Jinhui"),
        address: ("奉贤区金汇镇百曲村", "Baiqu Village, Jinhui Town, Fengxian"),
        description: ("为农民专业合作社讲解农产品标准与地理标志保护。", "Standards for farm produce and protection of geographical indications, for farmers' cooperatives.") },
    DemoEvent { category: Training, town: Fengpu, day: 30, start: 14 * 60, minutes: 120, capacity: 70, taken: 20, cancelled: false, audience: Both, host: None,
        title: ("贤质堂：首席质量官能力提升", "Xianzhitang: skills for chief quality officers"),
        venue: ("奉浦街道 社区党群服务中心", "Fengpu community service centre"),
        address: ("奉贤区奉浦街道环城东路383号", "383 East Huancheng Road, Fengpu, Fengxian"),
        description: ("围绕质量战略、质量风险管控和质量成本分析开展专题培训。", "Quality strategy, quality risk control and cost-of-quality analysis.") },
    DemoEvent { category: StandardsDay, town: Xidu, day: 33, start: 9 * 60 + 30, minutes: 150, capacity: 90, taken: 10, cancelled: false, audience: Residents, host: None,
        title: ("标准化试点项目成果展", "Standardisation pilot projects on show"),
        venue: ("奉贤区行政服务中心 一楼大厅", "Fengxian Administrative Service Centre, ground floor"),
        address: ("奉贤区南桥镇望园路1511号", "1511 Wangyuan Road, Nanqiao Town, Fengxian"),
        description: ("展示国家级、市级标准化试点示范项目成果，现场讲解政务服务标准化。", "National and municipal standardisation pilots on show, with a talk on standardised public services.") },
    DemoEvent { category: OpenDay, town: Zhuanghang, day: 36, start: 10 * 60, minutes: 120, capacity: 25, taken: 3, cancelled: false, audience: Both, host: Some(("上海庄梨果蔬专业合作社", "Shanghai Zhuangli Fruit Growers' Cooperative")),
        title: ("质量开放日：庄行蜜梨标准化种植基地", "Quality open day: Zhuanghang pear orchard"),
        venue: ("庄行镇 蜜梨种植合作社", "Zhuanghang pear growers' cooperative"),
        address: ("奉贤区庄行镇潘垫村", "Pandian Village, Zhuanghang Town, Fengxian"),
        description: ("走进国家农业标准化示范基地，了解从种植到分级包装的标准。", "A national agricultural standards demonstration site: standards from growing to grading and packing.") },
    DemoEvent { category: Clinic, town: Nanqiao, day: -3, start: 9 * 60, minutes: 180, capacity: 60, taken: 60, cancelled: false, audience: Both, host: None,
        title: ("贤城质量义诊·进社区（已结束）", "Free quality clinic in the community (past)"),
        venue: ("南桥镇 江海社区文化中心", "Jianghai Community Cultural Centre, Nanqiao"),
        address: ("奉贤区南桥镇江海路300号", "300 Jianghai Road, Nanqiao Town, Fengxian"),
        description: ("已结束的活动，供查阅。", "A past event, kept for reference.") },
];

/// People signed up to tomorrow's training, three days ago (so this evening's reminders
/// are theirs). Documented numbers a demo user may type in 我的's look-up.
const SIGNED_UP: &[(&str, &str)] = &[
    ("周建国", "13900139001"),
    ("吴秀英", "13900139002"),
    ("郑海峰", "13900139003"),
];

/// Adds the demo events. Returns how many were added.
pub(super) async fn seed(store: &Store, now: i64) -> AppResult<usize> {
    let today = BeijingTime::from_unix(now).date();
    for e in EVENTS {
        let date = today.add_days(e.day);
        let starts_at = BeijingTime::from_civil(date, (e.start / 60) as u8, (e.start % 60) as u8)
            .unwrap_or_else(|| date.start());
        let loc = |(zh, en): (&str, &str)| Localized {
            zh: zh.into(),
            en: en.into(),
        };
        let event = NewEvent {
            category: e.category,
            town: e.town,
            title: loc(e.title),
            venue: loc(e.venue),
            address: loc(e.address),
            description: loc(e.description),
            organiser: loc(SAMR),
            starts_at,
            ends_at: starts_at.add_secs(i64::from(e.minutes) * 60),
            capacity: e.capacity,
            taken: e.taken.min(e.capacity),
            status: if e.cancelled {
                EventStatus::Cancelled
            } else {
                EventStatus::Published
            },
            audience: e.audience,
            host: e.host.map(loc),
        };
        let id = store.insert_event(&event, now).await?;
        if e.day == 1 {
            for (name, phone) in SIGNED_UP {
                let sign_up = NewRegistration {
                    name: (*name).into(),
                    phone: (*phone).into(),
                    party_size: 1,
                    organisation: None,
                }
                .validate()
                .map_err(|e| AppError::Internal(format!("demo sign-up: {e:?}")))?;
                store.register(id, &sign_up, None, now - 3 * 86_400).await?;
            }
        }
        if e.day == 3 && e.category == Training {
            sign_up_organisations(store, id, now).await?;
        }
    }
    Ok(EVENTS.len())
}

/// Companies of the demo district (some came to last year's events) signed up to the
/// training on day 3, over the last few days: their contacts and how many each sends.
async fn sign_up_organisations(store: &Store, event_id: i64, now: i64) -> AppResult<()> {
    const SENDING: [i64; 5] = [2, 1, 3, 2, 1];
    let pool = organisations::pool();
    let companies = pool.iter().filter(|o| o.name.ends_with("有限公司"));
    for (n, (o, party_size)) in companies.zip(SENDING).enumerate() {
        let sign_up = NewRegistration {
            name: o.contact.clone(),
            phone: o.phone.clone(),
            party_size,
            organisation: Some(NewOrganisation {
                name: o.name.clone(),
                credit_code: o.credit_code.clone(),
            }),
        }
        .validate()
        .map_err(|e| AppError::Internal(format!("demo organisation sign-up: {e:?}")))?;
        let at = now - 86_400 * (5 - n as i64);
        store.register(event_id, &sign_up, None, at).await?;
    }
    Ok(())
}
