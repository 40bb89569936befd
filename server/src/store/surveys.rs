//! Survey waves, their versioned definitions, and anonymous responses.

use super::Store;
use super::audit::{self, Act, Actor};
use super::idempotency::{self, Begun, IdempotencyKey, Replayable};
use crate::error::{AppError, AppResult};
use model::survey::{Answers, ResponseReceipt, Survey, SurveyDefinition};
use model::survey_wave::{Channel, WaveStatus};
use model::{BeijingTime, Localized, RegistrationCode};
use serde_json::json;

/// A wave made whole in one go (demo content and tests); staff start from a draft.
#[derive(Debug, Clone)]
pub struct NewSurvey {
    pub wave: Localized,
    pub opens_at: BeijingTime,
    pub closes_at: BeijingTime,
    pub status: WaveStatus,
}

/// A response that passed every check, ready to store.
#[derive(Debug, Clone)]
pub struct ValidResponse {
    pub version: u32,
    pub town: model::Town,
    pub answers: Answers,
    /// The keyed hash of the phone number given, if any (see `http::surveys`); the number
    /// itself is never stored.
    pub phone_hash: Option<String>,
    /// Who typed in a paper questionnaire; `None` online.
    pub entered_by: Option<Actor>,
}

impl ValidResponse {
    pub fn channel(&self) -> Channel {
        if self.entered_by.is_some() {
            Channel::Paper
        } else {
            Channel::Online
        }
    }
}

/// The public results of a wave as last published.
#[derive(Debug, Clone)]
pub struct ResultSnapshot {
    /// Responses counted in them.
    pub responses: i64,
    pub computed_at: i64,
    /// The results as JSON, served as they are.
    pub results: String,
}

#[derive(sqlx::FromRow)]
struct SurveyRow {
    id: i64,
    wave_zh: String,
    wave_en: String,
    opens_at: i64,
    closes_at: i64,
}

/// A stored definition, checked again as it is loaded: one edited by hand in the database
/// must not reach phones with broken skip logic.
pub(super) fn decode(definition: &str) -> AppResult<SurveyDefinition> {
    let definition: SurveyDefinition = serde_json::from_str(definition)
        .map_err(|e| AppError::Internal(format!("stored survey definition: {e}")))?;
    definition
        .validate()
        .map_err(|e| AppError::Internal(format!("stored survey definition: {e:?}")))?;
    Ok(definition)
}

impl Store {
    /// Opens a wave with its first definition, which must validate.
    pub async fn insert_survey(
        &self,
        survey: &NewSurvey,
        definition: &SurveyDefinition,
        now: i64,
    ) -> AppResult<i64> {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO surveys (wave_zh, wave_en, opens_at, closes_at, status, published_at, \
               created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(&survey.wave.zh)
        .bind(&survey.wave.en)
        .bind(survey.opens_at.unix())
        .bind(survey.closes_at.unix())
        .bind(survey.status.as_str())
        .bind((survey.status == WaveStatus::Published).then_some(now))
        .bind(now)
        .fetch_one(&self.pool)
        .await?;
        self.add_survey_version(id, definition, now).await?;
        Ok(id)
    }

    /// Adds a version; earlier versions stay answerable while the wave is open.
    pub async fn add_survey_version(
        &self,
        survey_id: i64,
        definition: &SurveyDefinition,
        now: i64,
    ) -> AppResult<()> {
        definition
            .validate()
            .map_err(|e| AppError::Internal(format!("survey definition: {e:?}")))?;
        let mut tx = self.pool.begin().await?;
        super::survey_waves::insert_version(&mut tx, survey_id, definition, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The wave open at `now`, in its latest version.
    pub async fn current_survey(&self, now: i64) -> AppResult<Survey> {
        let row: SurveyRow = sqlx::query_as(
            "SELECT id, wave_zh, wave_en, opens_at, closes_at FROM surveys \
             WHERE status = 'open' AND opens_at <= $1 AND closes_at > $1 \
             ORDER BY opens_at DESC, id DESC LIMIT 1",
        )
        .bind(now)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(AppError::NotFound)?;
        let definition = self.latest_definition(row.id).await?;
        Ok(Survey {
            id: row.id,
            wave: Localized {
                zh: row.wave_zh,
                en: row.wave_en,
            },
            opens_at: BeijingTime::from_unix(row.opens_at),
            closes_at: BeijingTime::from_unix(row.closes_at),
            definition,
        })
    }

    /// The definition a response names, if the wave exists (else `NotFound`); `None` for
    /// an unknown version.
    pub async fn survey_version(
        &self,
        survey_id: i64,
        version: u32,
    ) -> AppResult<Option<SurveyDefinition>> {
        let definition: Option<(String,)> = sqlx::query_as(
            "SELECT definition FROM survey_versions WHERE survey_id = $1 AND version = $2",
        )
        .bind(survey_id)
        .bind(i64::from(version))
        .fetch_optional(&self.pool)
        .await?;
        definition.map(|(d,)| decode(&d)).transpose()
    }

    /// Stores a checked response. A phone hash already used in the wave is refused, and so
    /// is a wave that no longer takes the response's channel. Every statement writes (after
    /// the key's claim): on SQLite a transaction that reads first can fail when another
    /// writes in between.
    pub async fn insert_response(
        &self,
        survey_id: i64,
        response: &ValidResponse,
        key: Option<&IdempotencyKey>,
        now: i64,
    ) -> AppResult<Replayable<ResponseReceipt>> {
        let mut tx = match idempotency::begin(&self.pool, key, now).await? {
            Begun::Fresh(tx) => tx,
            Begun::Replayed(answer) => return Ok(answer),
        };
        // Holds the wave's row while the answers go in: a wave closed or published
        // meanwhile refuses them, and publishing counts exactly what is in.
        let statuses = match response.channel() {
            Channel::Online => "'open'",
            Channel::Paper => "'open', 'closed'",
        };
        let held = sqlx::query(&format!(
            "UPDATE surveys SET status = status WHERE id = $1 AND status IN ({statuses})"
        ))
        .bind(survey_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if held == 0 {
            return Err(AppError::SurveyClosed);
        }
        let answers = serde_json::to_string(&response.answers)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let reference = RegistrationCode::from_random(rand::random()).to_string();
        let inserted: Option<(i64,)> = sqlx::query_as(
            "INSERT INTO survey_responses \
               (survey_id, version, reference, town, answers, phone_hash, channel, \
                entered_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             ON CONFLICT (survey_id, phone_hash) WHERE phone_hash IS NOT NULL DO NOTHING \
             RETURNING id",
        )
        .bind(survey_id)
        .bind(i64::from(response.version))
        .bind(&reference)
        .bind(response.town.slug())
        .bind(answers)
        .bind(response.phone_hash.as_deref())
        .bind(response.channel().as_str())
        .bind(response.entered_by.as_ref().map(|a| a.id))
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        if inserted.is_none() {
            return Err(AppError::AlreadyResponded);
        }
        if let Some(actor) = &response.entered_by {
            // Which questionnaire was typed in by whom; the answers stay out of the log.
            let act = Act {
                action: "survey.paper",
                subject: format!("survey:{survey_id}"),
                before: None,
                after: Some(json!({ "reference": reference, "version": response.version })),
            };
            audit::append(&mut tx, actor, act, now).await?;
        }
        let receipt = ResponseReceipt {
            reference,
            survey_id,
            version: response.version,
        };
        // The request's fingerprint covers the body, phone included: with a phone it is
        // kept only as long as answers that name a person.
        if response.phone_hash.is_some() {
            idempotency::commit(tx, key, receipt).await
        } else {
            idempotency::commit_anonymous(tx, key, receipt).await
        }
    }

    /// Every response of a wave: (town slug, answers).
    pub async fn survey_responses(&self, survey_id: i64) -> AppResult<Vec<(String, Answers)>> {
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT town, answers FROM survey_responses WHERE survey_id = $1 ORDER BY id",
        )
        .bind(survey_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(town, answers)| {
                serde_json::from_str(&answers)
                    .map(|a| (town, a))
                    .map_err(|e| AppError::Internal(format!("stored answers: {e}")))
            })
            .collect()
    }

    /// The latest definition of a wave (for results), or `NotFound`.
    pub async fn latest_definition(&self, survey_id: i64) -> AppResult<SurveyDefinition> {
        let (definition,): (String,) = sqlx::query_as(
            "SELECT definition FROM survey_versions WHERE survey_id = $1 \
             ORDER BY version DESC LIMIT 1",
        )
        .bind(survey_id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(AppError::NotFound)?;
        decode(&definition)
    }

    pub async fn count_responses(&self, survey_id: i64) -> AppResult<i64> {
        let (n,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM survey_responses WHERE survey_id = $1")
                .bind(survey_id)
                .fetch_one(&self.pool)
                .await?;
        Ok(n)
    }

    pub async fn result_snapshot(&self, survey_id: i64) -> AppResult<Option<ResultSnapshot>> {
        let row: Option<(i64, i64, String)> = sqlx::query_as(
            "SELECT responses, computed_at, results FROM survey_result_snapshots \
             WHERE survey_id = $1",
        )
        .bind(survey_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(responses, computed_at, results)| ResultSnapshot {
            responses,
            computed_at,
            results,
        }))
    }

    /// Publishes `new` in place of `replacing` (the snapshot it was computed after). Only
    /// one instance wins a step: if another published first, that one stays and this
    /// returns `false`, so two visitors never see two results a few responses apart.
    pub async fn replace_result_snapshot(
        &self,
        survey_id: i64,
        replacing: Option<&ResultSnapshot>,
        new: &ResultSnapshot,
    ) -> AppResult<bool> {
        let written = match replacing {
            None => sqlx::query(
                "INSERT INTO survey_result_snapshots (survey_id, responses, computed_at, results) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (survey_id) DO NOTHING",
            )
            .bind(survey_id)
            .bind(new.responses)
            .bind(new.computed_at)
            .bind(&new.results)
            .execute(&self.pool)
            .await?
            .rows_affected(),
            Some(old) => sqlx::query(
                "UPDATE survey_result_snapshots SET responses = $1, computed_at = $2, \
                 results = $3 WHERE survey_id = $4 AND computed_at = $5 AND responses = $6",
            )
            .bind(new.responses)
            .bind(new.computed_at)
            .bind(&new.results)
            .bind(survey_id)
            .bind(old.computed_at)
            .bind(old.responses)
            .execute(&self.pool)
            .await?
            .rows_affected(),
        };
        Ok(written == 1)
    }

    /// For the sweep: once a wave has closed, nobody can answer it again, so the phone
    /// hashes that kept one response per phone have no use left. Returns how many went.
    pub async fn erase_phone_hashes_of_closed_waves(&self, now: i64) -> AppResult<u64> {
        Ok(sqlx::query(
            "UPDATE survey_responses SET phone_hash = NULL WHERE phone_hash IS NOT NULL \
             AND survey_id IN (SELECT id FROM surveys \
               WHERE closes_at <= $1 OR status IN ('closed', 'published'))",
        )
        .bind(now)
        .execute(&self.pool)
        .await?
        .rows_affected())
    }
}
