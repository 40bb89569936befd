//! Last week at 星澜苑: visits that took place (and one no-show), with defects in every
//! state, so that the staff's day list, defects and coverage pages have something to show.

use crate::error::{AppError, AppResult};
use crate::store::{Actor, Buyer, DefectActor, Store};
use model::defect::{DefectCategory, DefectRoom, DefectStatus, DefectUpdate, NewDefect};
use model::project_admin::PlannedSlot;
use model::{
    BeijingTime, BookingCode, BuyerDetails, PhoneNumber, ValidBooking, VisitDetails, VisitPartySize,
};

const HOUR: i64 = 3600;
const DAY: i64 = 86_400;

/// (room, kind, what the buyer wrote, how far the office got).
const DEFECTS: &[(DefectRoom, DefectCategory, &str, DefectStatus)] = &[
    (
        DefectRoom::Bedroom,
        DefectCategory::Wall,
        "主卧北墙距地面约1米处空鼓，敲击有空响",
        DefectStatus::Open,
    ),
    (
        DefectRoom::Bathroom,
        DefectCategory::Leak,
        "卫生间淋浴区墙角渗水，踢脚线发黑",
        DefectStatus::InProgress,
    ),
    (
        DefectRoom::LivingRoom,
        DefectCategory::DoorWindow,
        "客厅推拉门关不严，有明显缝隙",
        DefectStatus::Repaired,
    ),
    (
        DefectRoom::Kitchen,
        DefectCategory::WaterElectric,
        "厨房插座没有电",
        DefectStatus::Confirmed,
    ),
    (
        DefectRoom::Balcony,
        DefectCategory::Floor,
        "阳台地砖有两块开裂",
        DefectStatus::Open,
    ),
];

/// Books `buyers` into slots of last week (as if booked the week before), checks all but
/// the last in, and records [`DEFECTS`] for them, moved on by the sales office.
pub(super) async fn seed(
    store: &Store,
    project_id: i64,
    buyers: &[Buyer],
    now: i64,
) -> AppResult<()> {
    let today = BeijingTime::from_unix(now).date();
    let slots: Vec<PlannedSlot> = (3..=6)
        .map(|days_ago| {
            let starts = today.add_days(-days_ago).start().add_secs(10 * HOUR);
            PlannedSlot {
                starts_at: starts,
                ends_at: starts.add_secs(HOUR),
                capacity: 4,
            }
        })
        .collect();
    let ids = store.insert_slots(project_id, &slots).await?;
    let office = Actor {
        id: 0,
        login: "(demo)".into(),
        client: "local".into(),
    };
    let internal = |e: String| AppError::Internal(format!("demo visit: {e}"));
    for (i, buyer) in buyers.iter().take(DEFECTS.len() + 1).enumerate() {
        let slot = &slots[i % slots.len()];
        let booked_at = slot.starts_at.unix() - 7 * DAY;
        let booking = ValidBooking {
            buyer: BuyerDetails::from_parts(
                &buyer.flat.building,
                &buyer.flat.unit,
                &buyer.flat.room,
                &buyer.name,
                &buyer.phone,
            )
            .map_err(|e| internal(format!("{e:?}")))?,
            visit: VisitDetails::from_parts(
                VisitPartySize::new(2),
                if i == 1 {
                    "需要无障碍通道（轮椅）"
                } else {
                    ""
                },
            )
            .map_err(|e| internal(format!("{e:?}")))?,
        };
        let receipt = store
            .book(
                project_id,
                ids[i % ids.len()],
                &booking,
                "demo",
                None,
                booked_at,
            )
            .await?
            .value;
        let code = receipt.code.as_str().to_string();
        let arrived = slot.starts_at.unix() + 10 * 60;
        let Some(&(room, category, text, reached)) = DEFECTS.get(i) else {
            // The last buyer did not come.
            store
                .mark_no_show(project_id, &code, &office, slot.ends_at.unix() + 60)
                .await?;
            continue;
        };
        store
            .check_in_visit(project_id, &code, &office, arrived)
            .await?;
        let code = BookingCode::parse(&code).map_err(|_| internal("code".into()))?;
        let phone = PhoneNumber::parse(&buyer.phone).map_err(|_| internal("phone".into()))?;
        let defect = NewDefect {
            phone: String::new(),
            room,
            category,
            description: text.into(),
            photos: vec![],
        };
        let recorded_at = arrived + 20 * 60;
        let id = store
            .record_defect(
                DefectActor::Buyer { phone: &phone },
                &code,
                &defect,
                &[],
                None,
                recorded_at,
            )
            .await?
            .value
            .id;
        let steps: &[(DefectStatus, &str, bool)] = match reached {
            DefectStatus::Open => &[],
            DefectStatus::InProgress => &[(
                DefectStatus::InProgress,
                "已安排防水班组，本周内处理",
                false,
            )],
            _ => &[
                (DefectStatus::InProgress, "已派维修", false),
                (DefectStatus::Repaired, "已更换/调整并试用正常", false),
                (DefectStatus::Confirmed, "", true),
            ],
        };
        for (n, &(status, note, by_buyer)) in steps.iter().enumerate() {
            if status == DefectStatus::Confirmed && reached != DefectStatus::Confirmed {
                break;
            }
            let update = DefectUpdate {
                phone: String::new(),
                status,
                note: note.into(),
                photo: None,
            };
            let at = recorded_at + (n as i64 + 1) * DAY;
            let who = if by_buyer {
                DefectActor::Buyer { phone: &phone }
            } else {
                DefectActor::Staff {
                    project_id,
                    actor: &office,
                }
            };
            store
                .update_defect(who, (&code, id), &update, &[], None, at)
                .await?;
        }
    }
    Ok(())
}
