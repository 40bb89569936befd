//! Demo housing projects for pre-inspection visits: three projects in different towns, a
//! few hundred flats and buyers each, slots over the coming three weeks with a closed day,
//! and enough bookings that some slots are full and some nearly full.

use crate::error::AppResult;
use crate::store::{Buyer, NewProject, Store};
use model::{
    BeijingTime, BookingRules, BuyerDetails, FlatId, Localized, PlanWindow, Town, ValidBooking,
    VisitDetails, VisitPartySize, VisitPlan,
};

struct DemoProject {
    town: Town,
    name: (&'static str, &'static str),
    developer: (&'static str, &'static str),
    address: (&'static str, &'static str),
    /// Handover, days from today.
    handover_in: i64,
    buildings: u8,
    floors: u8,
    flats_per_slot: u32,
    /// A day without visits (days from today), such as a site inspection day.
    closed_in: i64,
}

#[rustfmt::skip]
const PROJECTS: &[DemoProject] = &[
    DemoProject { town: Town::Nanqiao, handover_in: 30, buildings: 5, floors: 18, flats_per_slot: 4, closed_in: 6,
        name: ("奉贤新城·星澜苑", "Xinglan Garden, Fengxian New City"),
        developer: ("上海星澜置业有限公司", "Shanghai Xinglan Property Co., Ltd."),
        address: ("奉贤区南桥镇望园路1888弄", "Lane 1888 Wangyuan Road, Nanqiao Town, Fengxian") },
    DemoProject { town: Town::Jinhui, handover_in: 26, buildings: 4, floors: 17, flats_per_slot: 3, closed_in: 4,
        name: ("金汇·云栖雅苑", "Yunqi Garden, Jinhui"),
        developer: ("上海金汇云栖房地产开发有限公司", "Shanghai Jinhui Yunqi Real Estate Co., Ltd."),
        address: ("奉贤区金汇镇金海公路2299弄", "Lane 2299 Jinhai Road, Jinhui Town, Fengxian") },
    DemoProject { town: Town::Zhuanghang, handover_in: 40, buildings: 6, floors: 11, flats_per_slot: 5, closed_in: 9,
        name: ("庄行·禾风里", "Hefeng Li, Zhuanghang"),
        developer: ("上海禾风置业有限公司", "Shanghai Hefeng Property Co., Ltd."),
        address: ("奉贤区庄行镇南亭公路866弄", "Lane 866 Nanting Road, Zhuanghang Town, Fengxian") },
];

/// Buyers anyone can book with in the demo (and the end-to-end tests do), all in the first
/// project: (building, unit, room, name, phone).
pub const DEMO_BUYERS: &[(&str, &str, &str, &str, &str)] = &[
    ("3", "1", "1201", "张三", "13800138000"),
    ("3", "1", "1202", "李四", "13800138001"),
    ("3", "2", "801", "王芳", "13800138002"),
    ("5", "1", "1601", "Li Ming", "13800138003"),
    ("3", "2", "802", "赵敏", "13800138004"),
    ("3", "2", "901", "陈静", "13800138005"),
    // The end-to-end defects journey books this one.
    ("3", "2", "1001", "孙丽", "13800138006"),
];

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "朱", "沈", "顾", "陆",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "敏", "静", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超", "秀英",
    "建华", "玉兰", "志强",
];

/// Adds the demo projects. Returns how many.
pub(super) async fn seed(store: &Store, now: i64) -> AppResult<usize> {
    let today = BeijingTime::from_unix(now).date();
    for (p, project) in PROJECTS.iter().enumerate() {
        let rules = BookingRules {
            handover_on: today.add_days(project.handover_in),
            opens_days_before: 60,
            cutoff_hours: 24,
        };
        let loc = |(zh, en): (&str, &str)| Localized {
            zh: zh.into(),
            en: en.into(),
        };
        let id = store
            .insert_project(
                &NewProject {
                    town: project.town,
                    name: loc(project.name),
                    developer: loc(project.developer),
                    address: loc(project.address),
                    rules,
                },
                now,
            )
            .await?;
        let buyers = buyers(p, project);
        store.insert_buyers(id, &buyers).await?;
        // The closed day is a working day, so that it shows as a gap in the list.
        let mut closed = today.add_days(project.closed_in);
        if closed.weekday().0 == 6 {
            closed = closed.add_days(1);
        }
        let plan = VisitPlan {
            // Monday to Saturday.
            weekdays: vec![0, 1, 2, 3, 4, 5],
            windows: [(9, 0), (10, 0), (13, 30), (14, 30), (15, 30)]
                .into_iter()
                .map(|(h, m)| PlanWindow {
                    start_minute: h * 60 + m,
                    end_minute: h * 60 + m + 60,
                    capacity: project.flats_per_slot,
                })
                .collect(),
            closed: vec![closed],
        };
        store.keep_plan(id, &plan).await?;
        let slots = store
            .insert_slots(id, &plan.slots(today.add_days(1), today.add_days(21)))
            .await?;
        fill_some_slots(store, id, &slots, &buyers, project.flats_per_slot, now).await?;
        if p == 0 {
            // What the office tells its buyers, on every pass.
            let mut draft = store.staff_project(id).await?.draft;
            draft.instructions = Localized {
                zh: "请在约定时间前10分钟到望园路1888弄2号楼底层售楼处签到，工作人员会发放鞋套、验房工具并陪同入户。".into(),
                en: "Please check in at the sales office (ground floor, Building 2, Lane 1888 Wangyuan Road) 10 minutes early; staff give you shoe covers and tools and go with you to the flat.".into(),
            };
            draft.contact_phone = "021-5718 8888".into();
            store
                .update_project(id, &draft, &crate::store::Actor::command_line(), now)
                .await?;
            // From the end of the list: the buyers the open slots did not take.
            let last_week: Vec<Buyer> = buyers.iter().rev().take(8).cloned().collect();
            super::visits::seed(store, id, &last_week, now).await?;
        }
    }
    Ok(PROJECTS.len())
}

/// Every flat of the project with a buyer; the first project starts with [`DEMO_BUYERS`].
fn buyers(project_index: usize, project: &DemoProject) -> Vec<Buyer> {
    let mut out: Vec<Buyer> = if project_index == 0 {
        DEMO_BUYERS
            .iter()
            .map(|&(b, u, r, name, phone)| Buyer {
                flat: FlatId {
                    building: b.into(),
                    unit: u.into(),
                    room: r.into(),
                },
                name: name.into(),
                phone: phone.into(),
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut n = 0usize;
    for building in 1..=project.buildings {
        for unit in 1..=2u8 {
            for floor in 2..=project.floors {
                for door in 1..=2u8 {
                    let flat = FlatId {
                        building: building.to_string(),
                        unit: unit.to_string(),
                        room: format!("{floor}{door:02}"),
                    };
                    if out.iter().any(|b| b.flat == flat) {
                        continue;
                    }
                    n += 1;
                    out.push(Buyer {
                        flat,
                        name: format!(
                            "{}{}",
                            SURNAMES[(n * 7 + project_index) % SURNAMES.len()],
                            GIVEN[(n * 5 + project_index * 3) % GIVEN.len()]
                        ),
                        phone: format!("139{:02}{:06}", 10 + project_index, n),
                    });
                }
            }
        }
    }
    out
}

/// Books real visits for generated buyers: two slots full, three nearly full, a few with one
/// or two flats, so the slot list shows every state. Skips slots within the cut-off.
async fn fill_some_slots(
    store: &Store,
    project_id: i64,
    slots: &[i64],
    buyers: &[Buyer],
    capacity: u32,
    now: i64,
) -> AppResult<()> {
    let open = store.slots(project_id, None, None, now).await?;
    let bookable: Vec<i64> = slots
        .iter()
        .copied()
        .filter(|id| open.iter().any(|s| s.id == *id))
        .collect();
    let fills = [
        capacity,
        1,
        capacity - 1,
        0,
        2,
        capacity,
        0,
        capacity - 1,
        1,
        capacity - 1,
    ];
    // Demo buyers stay free to book; generated ones fill the slots.
    let mut next = buyers.iter().skip(DEMO_BUYERS.len());
    for (slot, &count) in bookable.iter().zip(fills.iter()) {
        for _ in 0..count {
            let Some(b) = next.next() else { return Ok(()) };
            let booking = ValidBooking {
                buyer: BuyerDetails::from_parts(
                    &b.flat.building,
                    &b.flat.unit,
                    &b.flat.room,
                    &b.name,
                    &b.phone,
                )
                .map_err(|e| crate::error::AppError::Internal(format!("demo buyer: {e:?}")))?,
                visit: VisitDetails::from_parts(VisitPartySize::new(2), "")
                    .map_err(|e| crate::error::AppError::Internal(format!("demo visit: {e:?}")))?,
            };
            store
                .book(project_id, *slot, &booking, "demo", None, now)
                .await?;
        }
    }
    Ok(())
}
