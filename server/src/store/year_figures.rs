//! The year in numbers: events held, who took part, 预看房 and the survey, for a range of
//! Beijing days and one town or the district. A held event is published (not cancelled),
//! started in the range and over by now. Its participants are those checked in when it
//! has any check-in, else its sign-ups with a place.

use super::Store;
use crate::error::AppResult;
use model::survey::SMALLEST_REPORTED_GROUP;
use model::survey_analysis::WaveAnalysis;
use model::survey_wave::WaveStatus;
use model::year_figures::{
    Counting, EventsHeld, InspectionFigures, KindCount, OrganisationFigures, Rate, TownFigures,
    WaveFigures,
};
use model::{Category, Localized, OrganisationYear, Town, YearFigures, YearRange};
use std::collections::BTreeMap;

/// Held events: `$1` start of the range, `$2` its end, `$3` now, `$4` the town or NULL.
const HELD: &str = "e.status = 'published' AND e.starts_at >= $1 AND e.starts_at < $2 \
     AND e.ends_at <= $3 AND ($4 IS NULL OR e.town = $4)";

/// Sign-ups with a place or on the waitlist count, and anyone checked in: someone who came
/// and cancelled afterwards still came (the event desk's attended count agrees).
const ACTIVE: &str = "(r.status <> 'cancelled' OR r.checked_in_at IS NOT NULL)";

/// Whether the event of `e` has any check-in.
const HAS_CHECKINS: &str = "EXISTS (SELECT 1 FROM registrations c \
     WHERE c.event_id = e.id AND c.checked_in_at IS NOT NULL)";

/// One held event's figures, both ways of counting, as the query returns them.
#[derive(sqlx::FromRow)]
struct HeldEvent {
    town: String,
    category: String,
    checked_in: i64,
    org_checked_in: i64,
    org_checked_in_people: i64,
    org_registered: i64,
    org_registered_people: i64,
    residents_checked_in: i64,
    residents_registered: i64,
    waitlisted: i64,
    signups: i64,
    expected: i64,
    missed: i64,
}

/// A count as SQL gives it back, for the figures.
fn n(count: i64) -> u32 {
    u32::try_from(count).unwrap_or(u32::MAX)
}

impl HeldEvent {
    fn counts_checkins(&self) -> bool {
        self.checked_in > 0
    }

    /// (participations, attendees) of organisations.
    fn organisations(&self) -> (u32, u32) {
        if self.counts_checkins() {
            (n(self.org_checked_in), n(self.org_checked_in_people))
        } else {
            (n(self.org_registered), n(self.org_registered_people))
        }
    }

    fn residents(&self) -> u32 {
        n(if self.counts_checkins() {
            self.residents_checked_in
        } else {
            self.residents_registered
        })
    }
}

/// The SQL of a count `WHEN` a condition holds, summed over a held event's sign-ups.
fn sum_when(condition: &str, value: &str, name: &str) -> String {
    format!(
        "CAST(COALESCE(SUM(CASE WHEN {condition} THEN {value} ELSE 0 END), 0) AS BIGINT) AS {name}"
    )
}

impl Store {
    /// `live_surveys`: the account may read an open wave's live results (survey staff);
    /// others see a wave's index only once its results are published.
    pub async fn year_figures(
        &self,
        range: YearRange,
        town: Option<Town>,
        now: i64,
        live_surveys: bool,
    ) -> AppResult<YearFigures> {
        let events = self.held_events(range, town, now).await?;
        let organisations = self.year_organisations(range, town, now).await?;
        let inspections = self.year_inspections(range, town).await?;
        let responses = self.year_survey_responses_by_town(range, town).await?;

        let mut figures = YearFigures {
            from: range.from(),
            to: range.to(),
            town,
            events: EventsHeld {
                total: n(events.len() as i64),
                by_kind: Category::ALL
                    .iter()
                    .map(|&category| KindCount {
                        category,
                        events: n(events
                            .iter()
                            .filter(|e| e.category == category.slug())
                            .count() as i64),
                    })
                    .collect(),
            },
            organisations: OrganisationFigures {
                organisations: n(organisations.len() as i64),
                ..Default::default()
            },
            residents: 0,
            counted: Counting::default(),
            waitlist: Rate::default(),
            no_shows: Rate::default(),
            inspections: InspectionFigures::default(),
            surveys: self.year_waves(range, town, live_surveys).await?,
            by_town: Vec::new(),
        };
        for e in &events {
            let (participations, attendees) = e.organisations();
            figures.organisations.participations += participations;
            figures.organisations.attendees += attendees;
            figures.residents += e.residents();
            figures.waitlist.count += n(e.waitlisted);
            figures.waitlist.of += n(e.signups);
            if e.counts_checkins() {
                figures.counted.from_checkins += 1;
                figures.no_shows.count += n(e.missed);
                figures.no_shows.of += n(e.expected);
            } else {
                figures.counted.from_signups += 1;
            }
        }
        for i in inspections.values() {
            let f = &mut figures.inspections;
            f.booked += i.booked;
            f.visited += i.visited;
            f.no_shows += i.no_shows;
            f.defects += i.defects;
            f.open += i.open;
            f.repaired += i.repaired;
            f.confirmed += i.confirmed;
        }
        if town.is_none() {
            figures.by_town = Town::ALL
                .iter()
                .map(|&t| {
                    let held: Vec<&HeldEvent> =
                        events.iter().filter(|e| e.town == t.slug()).collect();
                    TownFigures {
                        town: t,
                        events: n(held.len() as i64),
                        org_participations: held.iter().map(|e| e.organisations().0).sum(),
                        residents: held.iter().map(|e| e.residents()).sum(),
                        visits: inspections.get(t.slug()).map_or(0, |i| i.visited),
                        survey_responses: responses.get(t.slug()).copied().unwrap_or(0),
                    }
                })
                .collect();
        }
        Ok(figures)
    }

    async fn held_events(
        &self,
        range: YearRange,
        town: Option<Town>,
        now: i64,
    ) -> AppResult<Vec<HeldEvent>> {
        let checked = "r.checked_in_at IS NOT NULL";
        let registered = "r.status = 'registered'";
        let org = "r.org_code IS NOT NULL";
        let resident = "r.org_code IS NULL";
        let sums = [
            sum_when(checked, "1", "checked_in"),
            sum_when(&format!("{checked} AND {org}"), "1", "org_checked_in"),
            sum_when(
                &format!("{checked} AND {org}"),
                "r.party_size",
                "org_checked_in_people",
            ),
            sum_when(&format!("{registered} AND {org}"), "1", "org_registered"),
            sum_when(
                &format!("{registered} AND {org}"),
                "r.party_size",
                "org_registered_people",
            ),
            sum_when(
                &format!("{checked} AND {resident}"),
                "r.party_size",
                "residents_checked_in",
            ),
            sum_when(
                &format!("{registered} AND {resident}"),
                "r.party_size",
                "residents_registered",
            ),
            sum_when("r.status = 'waitlisted'", "1", "waitlisted"),
            // Walk-ins never wait: they are not sign-ups a waitlist could have held.
            sum_when("r.id IS NOT NULL AND r.walk_in = 0", "1", "signups"),
            sum_when(&format!("{registered} AND r.walk_in = 0"), "1", "expected"),
            sum_when(
                &format!("{registered} AND r.walk_in = 0 AND r.checked_in_at IS NULL"),
                "1",
                "missed",
            ),
        ];
        let sql = format!(
            "SELECT e.town, e.category, {} FROM events e \
             LEFT JOIN registrations r ON r.event_id = e.id AND {ACTIVE} \
             WHERE {HELD} GROUP BY e.id, e.town, e.category ORDER BY e.id",
            sums.join(", ")
        );
        Ok(sqlx::query_as(&sql)
            .bind(range.starts().unix())
            .bind(range.ends().unix())
            .bind(now)
            .bind(town.map(Town::slug))
            .fetch_all(&self.pool)
            .await?)
    }

    /// The organisations that took part in the range, most participations first.
    pub async fn year_organisations(
        &self,
        range: YearRange,
        town: Option<Town>,
        now: i64,
    ) -> AppResult<Vec<OrganisationYear>> {
        let sql = format!(
            "SELECT r.org_code, MAX(r.org_name), COUNT(*), \
               CAST(COALESCE(SUM(r.party_size), 0) AS BIGINT) \
             FROM registrations r JOIN events e ON e.id = r.event_id \
             WHERE {HELD} AND {ACTIVE} AND r.org_code IS NOT NULL \
               AND ((r.checked_in_at IS NOT NULL AND {HAS_CHECKINS}) \
                 OR (r.status = 'registered' AND NOT {HAS_CHECKINS})) \
             GROUP BY r.org_code ORDER BY 3 DESC, 4 DESC, 2, 1"
        );
        let rows: Vec<(String, String, i64, i64)> = sqlx::query_as(&sql)
            .bind(range.starts().unix())
            .bind(range.ends().unix())
            .bind(now)
            .bind(town.map(Town::slug))
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .into_iter()
            .map(
                |(credit_code, name, participations, attendees)| OrganisationYear {
                    name,
                    credit_code,
                    participations: n(participations),
                    attendees: n(attendees),
                },
            )
            .collect())
    }

    /// 预看房 by town: bookings by their slot's start, defects by when they were recorded.
    async fn year_inspections(
        &self,
        range: YearRange,
        town: Option<Town>,
    ) -> AppResult<BTreeMap<String, InspectionFigures>> {
        let bookings: Vec<(String, i64, i64, i64)> = sqlx::query_as(&format!(
            "SELECT p.town, {}, {}, {} \
             FROM bookings b JOIN slots s ON s.id = b.slot_id \
               JOIN projects p ON p.id = b.project_id \
             WHERE s.starts_at >= $1 AND s.starts_at < $2 AND ($3 IS NULL OR p.town = $3) \
             GROUP BY p.town",
            sum_when("b.status <> 'cancelled'", "1", "booked"),
            sum_when("b.status = 'checked_in'", "1", "visited"),
            sum_when(
                "b.status = 'confirmed' AND b.no_show_at IS NOT NULL",
                "1",
                "no_shows"
            ),
        ))
        .bind(range.starts().unix())
        .bind(range.ends().unix())
        .bind(town.map(Town::slug))
        .fetch_all(&self.pool)
        .await?;
        let defects: Vec<(String, String, i64)> = sqlx::query_as(
            "SELECT p.town, d.status, COUNT(*) FROM defects d \
               JOIN projects p ON p.id = d.project_id \
             WHERE d.created_at >= $1 AND d.created_at < $2 AND ($3 IS NULL OR p.town = $3) \
             GROUP BY p.town, d.status",
        )
        .bind(range.starts().unix())
        .bind(range.ends().unix())
        .bind(town.map(Town::slug))
        .fetch_all(&self.pool)
        .await?;
        let mut by_town: BTreeMap<String, InspectionFigures> = BTreeMap::new();
        for (town, booked, visited, no_shows) in bookings {
            let f = by_town.entry(town).or_default();
            f.booked = n(booked);
            f.visited = n(visited);
            f.no_shows = n(no_shows);
        }
        for (town, status, count) in defects {
            let f = by_town.entry(town).or_default();
            let count = n(count);
            f.defects += count;
            match status.as_str() {
                "repaired" => f.repaired += count,
                "confirmed" => f.confirmed += count,
                _ => f.open += count,
            }
        }
        Ok(by_town)
    }

    async fn year_survey_responses_by_town(
        &self,
        range: YearRange,
        town: Option<Town>,
    ) -> AppResult<BTreeMap<String, u32>> {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT town, COUNT(*) FROM survey_responses \
             WHERE created_at >= $1 AND created_at < $2 AND ($3 IS NULL OR town = $3) \
             GROUP BY town",
        )
        .bind(range.starts().unix())
        .bind(range.ends().unix())
        .bind(town.map(Town::slug))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|(t, count)| (t, n(count))).collect())
    }

    /// Each wave with responses in the range (and town): how many came in the range, and
    /// the wave's overall index in the area as the staff analysis computes it. The index
    /// is of the whole wave, never of the range: two ranges a day apart would otherwise
    /// give away the answers of that day. It is withheld for groups too small to report,
    /// and while the wave runs from anyone but survey staff (its live results are theirs).
    async fn year_waves(
        &self,
        range: YearRange,
        town: Option<Town>,
        live_surveys: bool,
    ) -> AppResult<Vec<WaveFigures>> {
        let waves: Vec<(i64, String, String, i64)> = sqlx::query_as(
            "SELECT s.id, s.wave_zh, s.wave_en, COUNT(*) FROM survey_responses r \
               JOIN surveys s ON s.id = r.survey_id \
             WHERE r.created_at >= $1 AND r.created_at < $2 AND ($3 IS NULL OR r.town = $3) \
             GROUP BY s.id, s.wave_zh, s.wave_en ORDER BY s.id",
        )
        .bind(range.starts().unix())
        .bind(range.ends().unix())
        .bind(town.map(Town::slug))
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(waves.len());
        for (wave, zh, en, responses) in waves {
            let responses = n(responses);
            let published = self.wave_state(wave).await?.status == WaveStatus::Published;
            let index = if live_surveys || published {
                let definition = self.latest_definition(wave).await?;
                let area: Vec<_> = self
                    .analysed_responses(wave)
                    .await?
                    .into_iter()
                    .filter(|r| town.is_none_or(|t| r.town == t.slug()))
                    .collect();
                (area.len() >= SMALLEST_REPORTED_GROUP as usize)
                    .then(|| {
                        WaveAnalysis::compute(&definition, &area, None)
                            .index
                            .overall
                    })
                    .flatten()
            } else {
                None
            };
            out.push(WaveFigures {
                wave,
                name: Localized { zh, en },
                responses,
                index,
            });
        }
        Ok(out)
    }
}
