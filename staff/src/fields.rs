//! Turning per-field errors into the shared error summary's problems.

use quality_month_web::components::FieldProblem;

/// The server's (or the model's) per-field errors as the error summary lists them, in
/// the order of `fields` (field name → input id).
pub fn problems(
    errors: &model::FieldErrors,
    fields: &[(&str, &'static str)],
    message: impl Fn(model::FieldError) -> &'static str,
) -> Vec<FieldProblem> {
    fields
        .iter()
        .filter_map(|(name, id)| {
            errors.get(*name).map(|e| FieldProblem {
                field_id: id,
                message: message(*e),
            })
        })
        .collect()
}
