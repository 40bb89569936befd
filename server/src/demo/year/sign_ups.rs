//! Who signed up to each past event and who came, and the one transaction that writes the
//! year.

use super::{
    DAY, KEPT_DAYS, PastEvent, RESIDENTS, STAFF, SignUp, Turnout, VALUES_PER_INSERT, Who, Year,
};
use crate::demo::organisations::DemoOrganisation;
use crate::demo::people;
use crate::demo::rng::Rng;
use crate::error::{AppError, AppResult};
use crate::store::Store;
use model::{Category, RegistrationCode, Town};
use std::collections::{HashMap, HashSet};

impl Year {
    /// Fills an event with its turnout's sign-ups, their check-ins if the door recorded
    /// them (most doors did; about one in ten who signed up did not come), walk-ins, and a
    /// capacity that fits: now and then exactly, with a few left waiting.
    pub(super) fn sign_ups(&mut self, mut event: PastEvent, turnout: Turnout) -> PastEvent {
        let rng = &mut self.rng;
        let held = event.cancel_reason.is_none();
        // Some doors kept their list on paper: no check-ins at all.
        let recorded = held && (event.category == Category::LaunchCeremony || rng.chance(88));
        let shows = u64::from(rng.between(84, 96));
        let mut seen = HashSet::new();
        let signed_up_at = |rng: &mut Rng| {
            let open = event.starts_at - 2 * 3_600 - event.published_at;
            event.published_at + 3_600 + rng.below(open as u64) as i64
        };
        let came_at = |rng: &mut Rng| event.starts_at - 1_800 + 60 * rng.below(45) as i64;
        let mut sign_ups = Vec::new();
        let organisations = range(
            rng,
            event.audience.takes_organisations(),
            turnout.organisations,
        );
        for _ in 0..organisations {
            let chooser = &self.chooser;
            let town = event.town;
            if let Some(who) = distinct(rng, &mut seen, |rng| {
                Who::Organisation(chooser.choose(rng, town))
            }) {
                sign_ups.push(SignUp {
                    who,
                    party: i64::from(rng.weighted(STAFF)),
                    waitlisted: false,
                    created_at: signed_up_at(rng),
                    checked_in_at: (recorded && rng.chance(shows)).then(|| came_at(rng)),
                    walk_in: false,
                });
            }
        }
        let residents = range(rng, event.audience.takes_residents(), turnout.residents);
        let mut people = 0;
        while people < residents {
            let Some(who) = distinct(rng, &mut seen, resident) else {
                break;
            };
            let party = rng.weighted(turnout.party);
            people += party;
            sign_ups.push(SignUp {
                who,
                party: i64::from(party),
                waitlisted: false,
                created_at: signed_up_at(rng),
                checked_in_at: (recorded && rng.chance(shows)).then(|| came_at(rng)),
                walk_in: false,
            });
        }
        if recorded && event.audience.takes_residents() && rng.chance(40) {
            for _ in 0..rng.between(1, 3) {
                if let Some(who) = distinct(rng, &mut seen, resident) {
                    let at = event.starts_at + 60 * rng.below(40) as i64;
                    sign_ups.push(SignUp {
                        who,
                        party: i64::from(rng.weighted(&[(80, 1), (20, 2)])),
                        waitlisted: false,
                        created_at: at,
                        checked_in_at: Some(at),
                        walk_in: true,
                    });
                }
            }
        }
        event.sign_ups = sign_ups;
        let taken = event.taken();
        if held && taken > 0 && rng.chance(10) {
            // Full: those who came after the last place waited, and no place came free.
            event.capacity = taken;
            for _ in 0..rng.between(1, 3) {
                let chooser = &self.chooser;
                let town = event.town;
                let pick = |rng: &mut Rng| {
                    if event.audience.takes_residents() {
                        resident(rng)
                    } else {
                        Who::Organisation(chooser.choose(rng, town))
                    }
                };
                if let Some(who) = distinct(rng, &mut seen, pick) {
                    event.sign_ups.push(SignUp {
                        who,
                        party: 1,
                        waitlisted: true,
                        created_at: event.starts_at - 3_600 * i64::from(rng.between(2, 72)),
                        checked_in_at: None,
                        walk_in: false,
                    });
                }
            }
        } else {
            let room = taken * i64::from(rng.between(110, 150)) / 100;
            event.capacity = ((room + 9) / 10 * 10).max(20);
        }
        event
    }
}

fn range(rng: &mut Rng, welcome: bool, (lo, hi): (u32, u32)) -> u32 {
    if welcome { rng.between(lo, hi) } else { 0 }
}

fn resident(rng: &mut Rng) -> Who {
    Who::Resident(rng.below(RESIDENTS as u64) as usize)
}

/// Someone not yet signed up to this event (one sign-up per phone and per organisation).
fn distinct(
    rng: &mut Rng,
    seen: &mut HashSet<Who>,
    mut pick: impl FnMut(&mut Rng) -> Who,
) -> Option<Who> {
    (0..20).map(|_| pick(rng)).find(|who| seen.insert(*who))
}

/// One row of `registrations`, as it goes in.
struct Row<'a> {
    event_id: i64,
    code: String,
    name: &'a str,
    phone: String,
    party: i64,
    status: &'static str,
    created_at: i64,
    checked_in_at: Option<i64>,
    walk_in: bool,
    organisation: Option<&'a DemoOrganisation>,
}

const EVENT_COLUMNS: usize = 22;
const REGISTRATION_COLUMNS: usize = 12;

/// Writes the year in one transaction, events and then their sign-ups, in batches.
/// Sign-ups of events older than the retention window go in erased (no name, an `erased:`
/// phone no one can type), as the sweep would have left them; organisations' names and
/// codes stay, being no one's personal data.
pub(super) async fn insert(
    store: &Store,
    now: i64,
    events: &[PastEvent],
    organisations: &[DemoOrganisation],
) -> AppResult<()> {
    let mut tx = store.pool().begin().await?;
    let (organiser_zh, organiser_en) = crate::demo::events::SAMR;
    let mut ids: HashMap<(i64, String), i64> = HashMap::new();
    for batch in events.chunks(VALUES_PER_INSERT / EVENT_COLUMNS) {
        let sql = format!(
            "INSERT INTO events (category, town, title_zh, title_en, venue_zh, venue_en, \
               address_zh, address_en, description_zh, description_en, organiser_zh, \
               organiser_en, starts_at, ends_at, capacity, taken, status, created_at, audience, \
               host_zh, host_en, cancel_reason) \
             VALUES {} RETURNING id, starts_at, town",
            placeholders(batch.len(), EVENT_COLUMNS)
        );
        let mut query = sqlx::query_as::<_, (i64, i64, String)>(&sql);
        for e in batch {
            query = query
                .bind(e.category.slug())
                .bind(e.town.slug())
                .bind(&e.title.0)
                .bind(&e.title.1)
                .bind(&e.venue.0)
                .bind(&e.venue.1)
                .bind(&e.address.0)
                .bind(&e.address.1)
                .bind(&e.description.0)
                .bind(&e.description.1)
                .bind(organiser_zh)
                .bind(organiser_en)
                .bind(e.starts_at)
                .bind(e.ends_at)
                .bind(e.capacity)
                .bind(e.taken())
                .bind(if e.cancel_reason.is_some() {
                    "cancelled"
                } else {
                    "published"
                })
                .bind(e.published_at)
                .bind(e.audience.as_str())
                .bind(e.host.map(|h| h.0))
                .bind(e.host.map(|h| h.1))
                .bind(e.cancel_reason);
        }
        let inserted = query.fetch_all(&mut *tx).await?;
        ids.extend(
            inserted
                .into_iter()
                .map(|(id, starts_at, town)| ((starts_at, town), id)),
        );
    }
    let mut rng = Rng::new(0x7165_6172);
    let resident_names: Vec<String> = (0..RESIDENTS).map(|_| people::name(&mut rng)).collect();
    let mut codes = HashSet::new();
    let mut rows = Vec::new();
    let mut erased = 0;
    for e in events {
        let event_id = *ids
            .get(&(e.starts_at, e.town.slug().to_string()))
            .ok_or_else(|| AppError::Internal("demo year: an event went missing".into()))?;
        let kept = e.ends_at >= now - KEPT_DAYS * DAY;
        for s in &e.sign_ups {
            let code = loop {
                let code = RegistrationCode::from_random(std::array::from_fn(|_| rng.word()));
                if codes.insert(code.as_str().to_string()) {
                    break code.as_str().to_string();
                }
            };
            let organisation = match s.who {
                Who::Organisation(i) => Some(&organisations[i]),
                Who::Resident(_) => None,
            };
            let (name, phone) = match (kept, s.who, organisation) {
                (true, _, Some(o)) => (o.contact.as_str(), o.phone.clone()),
                (true, Who::Resident(i), None) => {
                    (resident_names[i].as_str(), people::resident_phone(i))
                }
                _ => {
                    erased += 1;
                    ("", format!("erased:demo-{erased}"))
                }
            };
            rows.push(Row {
                event_id,
                code,
                name,
                phone,
                party: s.party,
                status: if s.waitlisted {
                    "waitlisted"
                } else {
                    "registered"
                },
                created_at: s.created_at,
                checked_in_at: s.checked_in_at,
                walk_in: s.walk_in,
                organisation,
            });
        }
    }
    for batch in rows.chunks(VALUES_PER_INSERT / REGISTRATION_COLUMNS) {
        let sql = format!(
            "INSERT INTO registrations (event_id, code, name, phone, party_size, status, \
               created_at, updated_at, checked_in_at, walk_in, org_name, org_code) VALUES {}",
            placeholders(batch.len(), REGISTRATION_COLUMNS)
        );
        let mut query = sqlx::query(&sql);
        for r in batch {
            query = query
                .bind(r.event_id)
                .bind(r.code.as_str())
                .bind(r.name)
                .bind(r.phone.as_str())
                .bind(r.party)
                .bind(r.status)
                .bind(r.created_at)
                .bind(r.checked_in_at.unwrap_or(r.created_at))
                .bind(r.checked_in_at)
                .bind(i64::from(r.walk_in))
                .bind(r.organisation.map(|o| o.name.as_str()))
                .bind(r.organisation.map(|o| o.credit_code.as_str()));
        }
        query.execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// `($1, $2), ($3, $4)` for two rows of two columns.
fn placeholders(rows: usize, columns: usize) -> String {
    (0..rows)
        .map(|row| {
            let values: Vec<String> = (1..=columns)
                .map(|column| format!("${}", row * columns + column))
                .collect();
            format!("({})", values.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Picks organisations for an event: often from its own town, the keen ones more often.
pub(super) struct Chooser {
    all: Vec<(u32, usize)>,
    by_town: HashMap<Town, Vec<(u32, usize)>>,
}

impl Chooser {
    pub(super) fn new(organisations: &[DemoOrganisation]) -> Self {
        let mut by_town: HashMap<Town, Vec<(u32, usize)>> = HashMap::new();
        let all: Vec<(u32, usize)> = organisations
            .iter()
            .enumerate()
            .map(|(i, o)| (o.keenness, i))
            .collect();
        for &(keenness, i) in &all {
            by_town
                .entry(organisations[i].town)
                .or_default()
                .push((keenness, i));
        }
        Self { all, by_town }
    }

    pub(super) fn choose(&self, rng: &mut Rng, town: Town) -> usize {
        match self.by_town.get(&town) {
            Some(local) if rng.chance(55) => rng.weighted(local),
            _ => rng.weighted(&self.all),
        }
    }
}
