//! Running survey waves as analysts: drafts, versions, the status moves, what the analysis
//! and the export read, and the marks on comments. Every write appends its audit row in
//! its own transaction.

use super::Store;
use super::audit::{self, Act, Actor};
use super::surveys::{ResultSnapshot, decode};
use crate::error::{AppError, AppResult};
use model::survey::{AnswerValue, Answers, QuestionKind, SurveyDefinition};
use model::survey_analysis::AnalysedResponse;
use model::survey_wave::{
    Channel, Comment, CommentMarks, CommentTag, NewWave, PublishedWave, StaffWave, WaveDetails,
    WaveStatus, WaveVersion, mask_numbers,
};
use model::{BeijingTime, FieldError, FieldErrors, Localized};
use serde_json::json;

#[derive(sqlx::FromRow)]
struct WaveRow {
    id: i64,
    wave_zh: String,
    wave_en: String,
    opens_at: i64,
    closes_at: i64,
    status: String,
    published_at: Option<i64>,
}

const WAVE_COLUMNS: &str =
    "id, wave_zh, wave_en, opens_at, closes_at, status, published_at FROM surveys";

impl WaveRow {
    fn status(&self) -> AppResult<WaveStatus> {
        WaveStatus::parse(&self.status)
            .ok_or_else(|| AppError::Internal(format!("wave status {}", self.status)))
    }

    fn details(&self) -> WaveDetails {
        WaveDetails {
            wave: Localized {
                zh: self.wave_zh.clone(),
                en: self.wave_en.clone(),
            },
            opens_on: BeijingTime::from_unix(self.opens_at).date(),
            // closes_at is the start of the day after the last.
            closes_on: BeijingTime::from_unix(self.closes_at - 1).date(),
        }
    }
}

/// A wave's status and dates, for the checks of a write.
pub struct WaveState {
    pub status: WaveStatus,
    pub opens_at: i64,
    pub closes_at: i64,
}

impl WaveState {
    /// Open, and between its dates.
    pub fn answerable(&self, now: i64) -> bool {
        self.status == WaveStatus::Open && self.opens_at <= now && now < self.closes_at
    }
}

fn tags_text(tags: &[CommentTag]) -> String {
    let mut slugs: Vec<&str> = tags.iter().map(|t| t.as_str()).collect();
    slugs.sort_unstable();
    slugs.dedup();
    slugs.join(",")
}

fn tags_of(text: &str) -> Vec<CommentTag> {
    text.split(',').filter_map(CommentTag::parse).collect()
}

impl Store {
    async fn wave_row(&self, id: i64) -> AppResult<WaveRow> {
        sqlx::query_as(&format!("SELECT {WAVE_COLUMNS} WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(AppError::NotFound)
    }

    pub async fn wave_state(&self, id: i64) -> AppResult<WaveState> {
        let row = self.wave_row(id).await?;
        Ok(WaveState {
            status: row.status()?,
            opens_at: row.opens_at,
            closes_at: row.closes_at,
        })
    }

    async fn to_staff_wave(&self, row: WaveRow) -> AppResult<StaffWave> {
        let versions: Vec<(i64, i64, i64)> = sqlx::query_as(
            "SELECT v.version, v.created_at, \
               (SELECT COUNT(*) FROM survey_responses r \
                 WHERE r.survey_id = v.survey_id AND r.version = v.version) \
             FROM survey_versions v WHERE v.survey_id = $1 ORDER BY v.version",
        )
        .bind(row.id)
        .fetch_all(&self.pool)
        .await?;
        let channels: Vec<(String, i64)> = sqlx::query_as(
            "SELECT channel, COUNT(*) FROM survey_responses WHERE survey_id = $1 GROUP BY channel",
        )
        .bind(row.id)
        .fetch_all(&self.pool)
        .await?;
        let count = |c: Channel| {
            channels
                .iter()
                .find(|(name, _)| name == c.as_str())
                .map_or(0, |(_, n)| *n as u32)
        };
        Ok(StaffWave {
            id: row.id,
            details: row.details(),
            status: row.status()?,
            versions: versions
                .into_iter()
                .map(|(version, at, responses)| WaveVersion {
                    version: version as u32,
                    saved_at: BeijingTime::from_unix(at),
                    responses: responses as u32,
                })
                .collect(),
            definition: self.latest_definition(row.id).await?,
            online: count(Channel::Online),
            paper: count(Channel::Paper),
            published_at: row.published_at.map(BeijingTime::from_unix),
        })
    }

    pub async fn staff_wave(&self, id: i64) -> AppResult<StaffWave> {
        let row = self.wave_row(id).await?;
        self.to_staff_wave(row).await
    }

    /// Every wave, the latest first.
    pub async fn staff_waves(&self) -> AppResult<Vec<StaffWave>> {
        let rows: Vec<WaveRow> = sqlx::query_as(&format!(
            "SELECT {WAVE_COLUMNS} ORDER BY opens_at DESC, id DESC"
        ))
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            out.push(self.to_staff_wave(row).await?);
        }
        Ok(out)
    }

    /// A new draft with `definition` as its first version (a copy of a past wave's
    /// latest, or the starter).
    pub async fn create_wave(
        &self,
        new: &NewWave,
        definition: &SurveyDefinition,
        actor: &Actor,
        now: i64,
    ) -> AppResult<StaffWave> {
        let d = &new.details;
        let mut tx = self.pool.begin().await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO surveys (wave_zh, wave_en, opens_at, closes_at, status, created_at) \
             VALUES ($1, $2, $3, $4, 'draft', $5) RETURNING id",
        )
        .bind(d.wave.zh.trim())
        .bind(d.wave.en.trim())
        .bind(d.opens_at().unix())
        .bind(d.closes_at().unix())
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let first = SurveyDefinition {
            version: 1,
            questions: definition.questions.clone(),
        };
        insert_version(&mut tx, id, &first, now).await?;
        let act = Act {
            action: "survey.create",
            subject: format!("survey:{id}"),
            before: None,
            after: Some(json!({ "details": d, "copy_of": new.copy_of })),
        };
        audit::append(&mut tx, actor, act, now).await?;
        tx.commit().await?;
        self.staff_wave(id).await
    }

    /// New name or dates; not once the wave has closed (its figures are being read).
    pub async fn update_wave(
        &self,
        id: i64,
        details: &WaveDetails,
        actor: &Actor,
        now: i64,
    ) -> AppResult<StaffWave> {
        let before = self.wave_row(id).await?;
        let status = before.status()?;
        if !status.takes_versions() {
            return Err(AppError::WrongStatus);
        }
        if status == WaveStatus::Open {
            // Once answers come in, the start stays; once the end has passed, the phone
            // hashes are gone, so reopening by a later end would let a phone answer twice.
            if now >= before.closes_at {
                return Err(AppError::WrongStatus);
            }
            if details.opens_at().unix() != before.opens_at {
                return Err(AppError::Validation(FieldErrors::from([(
                    "opens_on".to_string(),
                    FieldError::Invalid,
                )])));
            }
        }
        let mut tx = self.pool.begin().await?;
        let changed = sqlx::query(
            "UPDATE surveys SET wave_zh = $1, wave_en = $2, opens_at = $3, closes_at = $4 \
             WHERE id = $5 AND status = $6",
        )
        .bind(details.wave.zh.trim())
        .bind(details.wave.en.trim())
        .bind(details.opens_at().unix())
        .bind(details.closes_at().unix())
        .bind(id)
        .bind(&before.status)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(AppError::WrongStatus);
        }
        let act = Act {
            action: "survey.update",
            subject: format!("survey:{id}"),
            before: Some(json!(before.details())),
            after: Some(json!(details)),
        };
        audit::append(&mut tx, actor, act, now).await?;
        tx.commit().await?;
        self.staff_wave(id).await
    }

    /// Saves `definition` as the wave's next version. Answers to earlier versions stay
    /// valid: each is checked against the version it answered.
    pub async fn save_version(
        &self,
        id: i64,
        definition: &SurveyDefinition,
        actor: &Actor,
        now: i64,
    ) -> AppResult<StaffWave> {
        let mut tx = self.pool.begin().await?;
        // Holds the wave first: two analysts saving at once get one number each, and a
        // wave closed meanwhile takes no new version.
        let held = sqlx::query(
            "UPDATE surveys SET status = status WHERE id = $1 AND status IN ('draft', 'open')",
        )
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if held == 0 {
            self.wave_row(id).await?;
            return Err(AppError::WrongStatus);
        }
        let (latest,): (i64,) = sqlx::query_as(
            "SELECT COALESCE(MAX(version), 0) FROM survey_versions WHERE survey_id = $1",
        )
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        let next = SurveyDefinition {
            version: latest as u32 + 1,
            questions: definition.questions.clone(),
        };
        insert_version(&mut tx, id, &next, now).await?;
        let act = Act {
            action: "survey.version",
            subject: format!("survey:{id}"),
            before: Some(json!({ "version": latest })),
            after: Some(json!({ "version": next.version, "questions": next.questions.len() })),
        };
        audit::append(&mut tx, actor, act, now).await?;
        tx.commit().await?;
        self.staff_wave(id).await
    }

    /// Moves the wave one step, if it is still where the caller saw it. Publishing stores
    /// the final public results with it, in one transaction: `(results, counted)`, where
    /// `counted` is how many answers were in when they were made. If more came in since,
    /// nothing changes and this answers `Ok(None)`: make them again.
    pub async fn change_wave_status(
        &self,
        id: i64,
        from: WaveStatus,
        to: WaveStatus,
        publication: Option<(&ResultSnapshot, i64)>,
        actor: &Actor,
        now: i64,
    ) -> AppResult<Option<StaffWave>> {
        let results = publication.map(|(r, _)| r);
        if !from.may_become(to) {
            return Err(AppError::WrongStatus);
        }
        let mut tx = self.pool.begin().await?;
        let published_at = (to == WaveStatus::Published).then_some(now);
        let changed = sqlx::query(
            "UPDATE surveys SET status = $1, published_at = COALESCE($2, published_at) \
             WHERE id = $3 AND status = $4",
        )
        .bind(to.as_str())
        .bind(published_at)
        .bind(id)
        .bind(from.as_str())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(AppError::WrongStatus);
        }
        if let Some((r, counted)) = publication {
            // The status row is held now: no answer can come in until this commits.
            let (now_in,): (i64,) =
                sqlx::query_as("SELECT COUNT(*) FROM survey_responses WHERE survey_id = $1")
                    .bind(id)
                    .fetch_one(&mut *tx)
                    .await?;
            if now_in != counted {
                return Ok(None);
            }
            sqlx::query("DELETE FROM survey_result_snapshots WHERE survey_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO survey_result_snapshots (survey_id, responses, computed_at, results) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(id)
            .bind(r.responses)
            .bind(r.computed_at)
            .bind(&r.results)
            .execute(&mut *tx)
            .await?;
        }
        let act = Act {
            action: match to {
                WaveStatus::Open => "survey.open",
                WaveStatus::Closed => "survey.close",
                WaveStatus::Published => "survey.publish",
                WaveStatus::Draft => "survey.draft",
            },
            subject: format!("survey:{id}"),
            before: Some(json!({ "status": from })),
            after: Some(json!({
                "status": to,
                "answers": publication.map(|(_, counted)| counted),
                "published_answers": results.map(|r| r.responses),
            })),
        };
        audit::append(&mut tx, actor, act, now).await?;
        tx.commit().await?;
        self.staff_wave(id).await.map(Some)
    }

    /// Every response as the analysis and the export read them: town, channel, day.
    pub async fn analysed_responses(&self, id: i64) -> AppResult<Vec<AnalysedResponse>> {
        let rows: Vec<(String, String, i64, String)> = sqlx::query_as(
            "SELECT town, channel, created_at, answers FROM survey_responses \
             WHERE survey_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(town, channel, at, answers)| {
                Ok(AnalysedResponse {
                    town,
                    channel: Channel::parse(&channel).unwrap_or(Channel::Online),
                    day: BeijingTime::from_unix(at).date(),
                    answers: serde_json::from_str(&answers)
                        .map_err(|e| AppError::Internal(format!("stored answers: {e}")))?,
                })
            })
            .collect()
    }

    /// The wave before this one to compare with: the latest closed or published wave that
    /// opened earlier.
    pub async fn previous_wave(&self, id: i64) -> AppResult<Option<(i64, Localized)>> {
        let row = self.wave_row(id).await?;
        let previous: Option<(i64, String, String)> = sqlx::query_as(
            "SELECT id, wave_zh, wave_en FROM surveys \
             WHERE opens_at < $1 AND id <> $2 AND status IN ('closed', 'published') \
             ORDER BY opens_at DESC, id DESC LIMIT 1",
        )
        .bind(row.opens_at)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(previous.map(|(id, zh, en)| (id, Localized { zh, en })))
    }

    /// The free-text answers of a wave, newest first, with their marks.
    pub async fn comments(&self, id: i64) -> AppResult<Vec<Comment>> {
        let text_questions: Vec<String> = self
            .all_definitions(id)
            .await?
            .iter()
            .flat_map(|d| d.questions.iter())
            .filter(|q| matches!(q.kind, QuestionKind::Text { .. }))
            .map(|q| q.id.clone())
            .collect();
        let rows: Vec<(i64, String, i64, String)> = sqlx::query_as(
            "SELECT id, channel, created_at, answers FROM survey_responses \
             WHERE survey_id = $1 ORDER BY id DESC",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let marks: Vec<(i64, String, String, i64)> = sqlx::query_as(
            "SELECT m.response_id, m.question, m.tags, m.hidden FROM survey_comment_marks m \
             JOIN survey_responses r ON r.id = m.response_id WHERE r.survey_id = $1",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for (response, channel, at, answers) in rows {
            let answers: Answers = serde_json::from_str(&answers)
                .map_err(|e| AppError::Internal(format!("stored answers: {e}")))?;
            for (question, value) in answers {
                let AnswerValue::Text(text) = value else {
                    continue;
                };
                if !text_questions.contains(&question) || text.trim().is_empty() {
                    continue;
                }
                let mark = marks
                    .iter()
                    .find(|(r, q, _, _)| *r == response && *q == question);
                out.push(Comment {
                    response,
                    day: BeijingTime::from_unix(at).date(),
                    channel: Channel::parse(&channel).unwrap_or(Channel::Online),
                    // A number someone wrote in is not for the analyst to call.
                    text: mask_numbers(&text),
                    tags: mark.map(|m| tags_of(&m.2)).unwrap_or_default(),
                    hidden: mark.is_some_and(|m| m.3 != 0),
                    question,
                });
            }
        }
        Ok(out)
    }

    /// Tags or hides one comment of wave `id`. `NotFound` unless the response is the
    /// wave's and answered `question` with text.
    pub async fn mark_comment(
        &self,
        id: i64,
        response: i64,
        question: &str,
        marks: &CommentMarks,
        actor: &Actor,
        now: i64,
    ) -> AppResult<()> {
        let exists = self
            .comments(id)
            .await?
            .into_iter()
            .find(|c| c.response == response && c.question == question)
            .ok_or(AppError::NotFound)?;
        let tags = tags_text(&marks.tags);
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO survey_comment_marks (response_id, question, tags, hidden, updated_at) \
             VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (response_id, question) \
             DO UPDATE SET tags = excluded.tags, hidden = excluded.hidden, \
               updated_at = excluded.updated_at",
        )
        .bind(response)
        .bind(question)
        .bind(&tags)
        .bind(i64::from(marks.hidden))
        .bind(now)
        .execute(&mut *tx)
        .await?;
        // The comment's text stays out of the log: it may name someone.
        let act = Act {
            action: "survey.comment",
            subject: format!("survey:{id}/response:{response}/{question}"),
            before: Some(json!({ "tags": exists.tags, "hidden": exists.hidden })),
            after: Some(json!({ "tags": tags_of(&tags), "hidden": marks.hidden })),
        };
        audit::append(&mut tx, actor, act, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every version of a wave, oldest first.
    pub async fn all_definitions(&self, id: i64) -> AppResult<Vec<SurveyDefinition>> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT definition FROM survey_versions WHERE survey_id = $1 ORDER BY version",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|(d,)| decode(d)).collect()
    }

    /// The waves whose results the public may read: published ones, and the one open now
    /// (its figures move in steps), the latest first.
    pub async fn public_waves(&self, now: i64) -> AppResult<Vec<PublishedWave>> {
        let rows: Vec<WaveRow> = sqlx::query_as(&format!(
            "SELECT {WAVE_COLUMNS} WHERE status = 'published' \
               OR (status = 'open' AND opens_at <= $1 AND closes_at > $1) \
             ORDER BY opens_at DESC, id DESC"
        ))
        .bind(now)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let d = row.details();
                PublishedWave {
                    id: row.id,
                    wave: d.wave,
                    opens_on: d.opens_on,
                    closes_on: d.closes_on,
                    published_at: row.published_at.map(BeijingTime::from_unix),
                }
            })
            .collect())
    }
}

pub(super) async fn insert_version(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: i64,
    definition: &SurveyDefinition,
    now: i64,
) -> AppResult<()> {
    let json = serde_json::to_string(definition).map_err(|e| AppError::Internal(e.to_string()))?;
    sqlx::query(
        "INSERT INTO survey_versions (survey_id, version, definition, created_at) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(id)
    .bind(i64::from(definition.version))
    .bind(json)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
