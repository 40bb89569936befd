//! A past year of Quality Month, of the size the district's report gives for its own
//! (more than 200 events, some 2,500 organisations' participations, nearly 5,000
//! residents): events over the 365 days before today across the towns, with sign-ups,
//! check-ins, no-shows, walk-ins, a few who waited in vain and two cancelled events, so
//! that the staff's year figures have numbers of that kind.
//!
//! Made by a fixed-seed generator whose draws never depend on the date, so every demo
//! database holds the same figures. Past events cannot be signed up to through the store,
//! so the year goes in as a few multi-row inserts in one transaction (it runs at every
//! end-to-end server start, on both databases).

mod sign_ups;

use super::organisations::{self, DemoOrganisation};
use super::programme::{self, Venue, Words, venue, words};
use super::rng::Rng;
use crate::error::AppResult;
use crate::store::Store;
use model::{Audience, BeijingDate, BeijingTime, Category, Town};
use sign_ups::Chooser;
use std::collections::HashSet;

const DAY: i64 = 86_400;
/// How long names and numbers of sign-ups stay after an event: QM_RETENTION_DAYS's default
/// (config.rs). Older sign-ups go in already erased, as the sweep leaves them; with a
/// shorter setting the sweep at start erases the rest.
const KEPT_DAYS: i64 = 90;
/// People the demo district's residents' sign-ups come from (many come more than once).
const RESIDENTS: usize = 2_500;
/// Values per INSERT. SQLite finds each `$n` by a linear search, so binding a statement
/// takes time with the square of its values: 300 rows of 12 took 0.5 s in all, 40 rows
/// 0.1 s; PostgreSQL takes about 0.15 s either way.
const VALUES_PER_INSERT: usize = 480;

/// How many of each kind, as the report weighs them: trainings and clinics by the dozen,
/// one launch ceremony, a few open days and days of standards, metrology and brands.
const TRAININGS: usize = 75;
const CLINICS_FOR_COMPANIES: usize = 50;
const CLINICS_FOR_RESIDENTS: usize = 38;
const OPEN_DAYS: usize = 14;
const METROLOGY_DAYS: usize = 6;
const BRAND_DAYS: usize = 5;
const STANDARDS_DAYS: usize = 8;
const AWARD_BRIEFINGS: usize = 12;

/// Party sizes: a person brings family now and then; a company sends one to five.
const FAMILY: &[(u32, u32)] = &[(68, 1), (24, 2), (6, 3), (2, 4)];
const ALONE: &[(u32, u32)] = &[(90, 1), (10, 2)];
const STAFF: &[(u32, u32)] = &[(50, 1), (32, 2), (12, 3), (4, 4), (2, 5)];

struct PastEvent {
    category: Category,
    town: Town,
    title: (String, String),
    venue: (String, String),
    address: (String, String),
    description: (String, String),
    host: Option<Words>,
    audience: Audience,
    /// When it was published: sign-ups come after.
    published_at: i64,
    starts_at: i64,
    ends_at: i64,
    capacity: i64,
    cancel_reason: Option<&'static str>,
    sign_ups: Vec<SignUp>,
}

impl PastEvent {
    fn taken(&self) -> i64 {
        self.sign_ups
            .iter()
            .filter(|s| !s.waitlisted)
            .map(|s| s.party)
            .sum()
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Who {
    Resident(usize),
    Organisation(usize),
}

struct SignUp {
    who: Who,
    party: i64,
    waitlisted: bool,
    created_at: i64,
    checked_in_at: Option<i64>,
    walk_in: bool,
}

/// How many sign up to one event: organisations, and residents (people, not places).
#[derive(Clone, Copy)]
struct Turnout {
    organisations: (u32, u32),
    residents: (u32, u32),
    party: &'static [(u32, u32)],
}

/// Adds the past year. Returns how many events it holds.
pub(super) async fn seed(store: &Store, now: i64) -> AppResult<usize> {
    let organisations = organisations::pool();
    let events = Year::new(now, &organisations).plan();
    sign_ups::insert(store, now, &events, &organisations).await?;
    Ok(events.len())
}

/// The year being planned.
struct Year {
    today: BeijingDate,
    rng: Rng,
    chooser: Chooser,
    /// (start, town) of every event so far: each is told apart by it once inserted.
    slots: HashSet<(i64, Town)>,
    events: Vec<PastEvent>,
}

impl Year {
    fn new(now: i64, organisations: &[DemoOrganisation]) -> Self {
        Self {
            today: BeijingTime::from_unix(now).date(),
            rng: Rng::new(2023),
            chooser: Chooser::new(organisations),
            slots: HashSet::new(),
            events: Vec::new(),
        }
    }

    fn plan(mut self) -> Vec<PastEvent> {
        let both = Audience::Both;
        // Last year's launch, a year before this one: the flag passed from 柘林镇 to 奉城镇
        // (the report's order of hosts), which hands it on to 海湾镇 this year.
        let launch = self.today.add_days(-363);
        let year = launch.year;
        let fengcheng = programme::places(Town::Fengcheng);
        self.add(Planned {
            category: Category::LaunchCeremony,
            town: Town::Fengcheng,
            day: -363,
            title: (
                format!("{year}年奉贤区“质量月”启动仪式"),
                format!("Fengxian Quality Month {year} launch ceremony"),
            ),
            venue: words(("奉城镇文化活动中心", "Fengcheng Town Cultural Centre")),
            description: words((
                "质量月旗帜由柘林镇传递至奉城镇。仪式上发布年度质量提升行动计划，并为区长质量奖获奖组织颁奖。",
                "The Quality Month flag passes from Zhelin to Fengcheng. The year's quality plan is announced and the District Mayor's Quality Award winners receive their prizes.",
            )),
            road: fengcheng.road,
            host: Some(("奉城镇人民政府", "Fengcheng Town Government")),
            audience: both,
            turnout: Turnout {
                organisations: (55, 65),
                residents: (140, 180),
                party: ALONE,
            },
            cancel_reason: None,
        });
        for n in 0..TRAININGS + 1 {
            let (topic, description) = *self.rng.pick(programme::TRAINING_TOPICS);
            let town = *self.rng.pick(Town::ALL);
            let day = self.working_day();
            self.add(Planned {
                category: Category::Training,
                town,
                day,
                title: (
                    format!("贤质堂：{}", topic.0),
                    format!("Xianzhitang: {}", topic.1),
                ),
                venue: venue(town, Venue::Hall),
                description: words(description),
                road: programme::places(town).road,
                host: None,
                audience: both,
                turnout: Turnout {
                    organisations: (13, 26),
                    residents: (5, 14),
                    party: ALONE,
                },
                cancel_reason: (n == TRAININGS)
                    .then_some("授课专家临时出差，本场培训取消，将另行安排。"),
            });
        }
        for _ in 0..CLINICS_FOR_COMPANIES {
            let (title, at) = *self.rng.pick(programme::CLINIC_VISITS);
            let town = *self.rng.pick(Town::ALL);
            let day = self.working_day();
            self.add(Planned {
                category: Category::Clinic,
                town,
                day,
                title: words(title),
                venue: venue(town, at),
                description: words(programme::CLINIC_FOR_COMPANIES),
                road: programme::places(town).road,
                host: None,
                audience: both,
                turnout: Turnout {
                    organisations: (11, 21),
                    residents: (6, 14),
                    party: FAMILY,
                },
                cancel_reason: None,
            });
        }
        for n in 0..CLINICS_FOR_RESIDENTS + 1 {
            let (title, description) = *self.rng.pick(programme::RESIDENT_CLINICS);
            let town = *self.rng.pick(Town::ALL);
            let day = self.any_day();
            self.add(Planned {
                category: Category::Clinic,
                town,
                day,
                title: words(title),
                venue: venue(town, Venue::Hall),
                description: words(description),
                road: programme::places(town).road,
                host: None,
                audience: both,
                turnout: Turnout {
                    organisations: (0, 2),
                    residents: (50, 85),
                    party: FAMILY,
                },
                cancel_reason: (n == CLINICS_FOR_RESIDENTS).then_some("受台风影响，户外活动取消。"),
            });
        }
        for n in 0..OPEN_DAYS {
            let host = &programme::OPEN_DAY_HOSTS[n % programme::OPEN_DAY_HOSTS.len()];
            let day = self.working_day();
            let residents = if host.audience.takes_residents() {
                (10, 18)
            } else {
                (0, 0)
            };
            self.add(Planned {
                category: Category::OpenDay,
                town: host.town,
                day,
                title: words(host.title),
                venue: words(host.site),
                description: (
                    format!("走进政府质量奖获奖组织{}，交流先进质量管理模式和方法。", host.host.0),
                    format!("Visit {}, a Government Quality Award winner, and learn its quality methods.", host.host.1),
                ),
                road: programme::places(host.town).road,
                host: Some(host.host),
                audience: host.audience,
                turnout: Turnout {
                    organisations: if residents.1 > 0 { (6, 10) } else { (10, 18) },
                    residents,
                    party: FAMILY,
                },
                cancel_reason: None,
            });
        }
        let days = [
            (
                Category::MetrologyDay,
                METROLOGY_DAYS,
                (5, 20),
                programme::METROLOGY_DAY,
            ),
            (
                Category::BrandDay,
                BRAND_DAYS,
                (5, 10),
                programme::BRAND_DAY,
            ),
            (
                Category::StandardsDay,
                STANDARDS_DAYS,
                (10, 14),
                programme::STANDARDS_DAY,
            ),
        ];
        for (category, count, (month, date), themes) in days {
            let on = self.days_back_to(month, date);
            for _ in 0..count {
                let &(title, description, at) = self.rng.pick(themes);
                let town = *self.rng.pick(Town::ALL);
                let day = (on + i64::from(self.rng.between(0, 3))).min(-2);
                // Standards days speak to companies too; the others are the public's.
                let (audience, organisations) = if category == Category::StandardsDay {
                    (both, (5, 11))
                } else {
                    (Audience::Residents, (0, 0))
                };
                self.add(Planned {
                    category,
                    town,
                    day,
                    title: words(title),
                    venue: venue(town, at),
                    description: words(description),
                    road: programme::places(town).road,
                    host: None,
                    audience,
                    turnout: Turnout {
                        organisations,
                        residents: (45, 80),
                        party: FAMILY,
                    },
                    cancel_reason: None,
                });
            }
        }
        for _ in 0..AWARD_BRIEFINGS {
            let (title, description) = *self.rng.pick(programme::AWARD_BRIEFINGS);
            let town = *self.rng.pick(Town::ALL);
            let day = self.working_day();
            self.add(Planned {
                category: Category::AwardBriefing,
                town,
                day,
                title: words(title),
                venue: venue(town, Venue::Chamber),
                description: words(description),
                road: programme::places(town).road,
                host: None,
                audience: Audience::Organisations,
                turnout: Turnout {
                    organisations: (14, 24),
                    residents: (0, 0),
                    party: ALONE,
                },
                cancel_reason: None,
            });
        }
        self.events
    }

    /// A day of the year before today: three in ten in last year's Quality Month, which
    /// began with last year's launch; the rest over the months after.
    fn any_day(&mut self) -> i64 {
        if self.rng.chance(30) {
            -362 + i64::from(self.rng.between(0, 29))
        } else {
            -330 + i64::from(self.rng.between(0, 328))
        }
    }

    /// Like [`Self::any_day`], moved off the weekend (companies' staff come on workdays),
    /// to the Friday before or, at the year's start, the Monday after.
    fn working_day(&mut self) -> i64 {
        let day = self.any_day();
        let weekday = i64::from(self.today.add_days(day).weekday().0);
        match weekday {
            5 | 6 if day - (weekday - 4) >= -362 => day - (weekday - 4),
            5 | 6 => day + (7 - weekday),
            _ => day,
        }
    }

    /// Days from today back to the last `month`/`date` at least two days ago, kept within
    /// the year.
    fn days_back_to(&self, month: u8, date: u8) -> i64 {
        let back = |year: i32| {
            BeijingDate::new(year, month, date)
                .map(|d| (d.start().unix() - self.today.start().unix()) / DAY)
                .unwrap_or(-200)
        };
        let this_year = back(self.today.year);
        let day = if this_year <= -2 {
            this_year
        } else {
            back(self.today.year - 1)
        };
        day.clamp(-362, -5)
    }

    fn add(&mut self, p: Planned) {
        let date = self.today.add_days(p.day);
        let (hour, minute) = *self
            .rng
            .pick(&[(9, 0), (9, 30), (10, 0), (14, 0), (14, 30)]);
        let minutes = i64::from(*self.rng.pick(&[90, 120, 150, 180]));
        let mut starts_at = BeijingTime::from_civil(date, hour, minute)
            .unwrap_or_else(|| date.start())
            .unix();
        while !self.slots.insert((starts_at, p.town)) {
            starts_at += 1_800;
        }
        let number = self.rng.between(100, 9_999);
        let published_at = starts_at - DAY * i64::from(self.rng.between(20, 40));
        let event = PastEvent {
            category: p.category,
            town: p.town,
            title: p.title,
            venue: p.venue,
            address: (
                format!("奉贤区{}{number}号", p.road.0),
                format!("{number} {}, Fengxian", p.road.1),
            ),
            description: p.description,
            host: p.host,
            audience: p.audience,
            published_at,
            starts_at,
            ends_at: starts_at + minutes * 60,
            capacity: 0,
            cancel_reason: p.cancel_reason,
            sign_ups: Vec::new(),
        };
        let event = self.sign_ups(event, p.turnout);
        self.events.push(event);
    }
}

/// An event as the plan describes it, before times and sign-ups.
struct Planned {
    category: Category,
    town: Town,
    day: i64,
    title: (String, String),
    venue: (String, String),
    description: (String, String),
    road: Words,
    host: Option<Words>,
    audience: Audience,
    turnout: Turnout,
    cancel_reason: Option<&'static str>,
}
