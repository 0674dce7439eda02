//! Company profiles (the user's own company). Every query filters by owner.

use uuid::Uuid;

use super::Ctx;
use crate::error::{AppError, Validator};
use crate::model::{Profile, ProfileInput};

pub const MAX_SAMPLES: usize = 10;

pub fn validate(input: &ProfileInput) -> Result<ProfileInput, AppError> {
    let samples: Vec<String> =
        input.samples.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
    let mut v = Validator::default();
    v.text("name", "Company name", &input.name, 1, 120)
        .text("website", "Website", &input.website, 0, 300)
        .text("product", "Product description", &input.product, 10, 4000)
        .text("audience", "Target audience", &input.audience, 0, 2000)
        .check(
            !samples.is_empty(),
            "samples",
            "Add at least one writing sample (an email or post you wrote).",
        )
        .check(samples.len() <= MAX_SAMPLES, "samples", format!("At most {MAX_SAMPLES} writing samples."))
        .check(
            samples.iter().all(|s| s.chars().count() <= 5000),
            "samples",
            "Each writing sample can be at most 5000 characters.",
        );
    v.finish()?;
    Ok(ProfileInput {
        name: input.name.trim().into(),
        website: input.website.trim().into(),
        product: input.product.trim().into(),
        audience: input.audience.trim().into(),
        samples,
    })
}

type Row = (Uuid, String, String, String, String, sqlx::types::Json<Vec<String>>, String);

const SELECT: &str = "SELECT id, name, website, product, audience, samples, to_char(updated_at, 'Mon FMDD, YYYY') FROM profiles";

fn from_row((id, name, website, product, audience, samples, updated): Row) -> Profile {
    Profile { id, input: ProfileInput { name, website, product, audience, samples: samples.0 }, updated }
}

pub async fn list(ctx: &Ctx, owner: Uuid) -> Result<Vec<Profile>, AppError> {
    let rows: Vec<Row> = sqlx::query_as(&format!("{SELECT} WHERE owner_id = $1 ORDER BY updated_at DESC"))
        .bind(owner)
        .fetch_all(&ctx.pool)
        .await?;
    Ok(rows.into_iter().map(from_row).collect())
}

pub async fn get(ctx: &Ctx, owner: Uuid, id: Uuid) -> Result<Profile, AppError> {
    let row: Option<Row> = sqlx::query_as(&format!("{SELECT} WHERE owner_id = $1 AND id = $2"))
        .bind(owner)
        .bind(id)
        .fetch_optional(&ctx.pool)
        .await?;
    row.map(from_row).ok_or(AppError::NotFound)
}

/// Creates (`id` = None) or updates a profile; returns its id.
pub async fn save(ctx: &Ctx, owner: Uuid, id: Option<Uuid>, input: &ProfileInput) -> Result<Uuid, AppError> {
    let p = validate(input)?;
    // One bind list for both: $1 owner, $2 id, then the fields.
    let sql = match id {
        None => {
            "INSERT INTO profiles (owner_id, id, name, website, product, audience, samples)
             VALUES ($1, $2, $3, $4, $5, $6, $7)"
        }
        Some(_) => {
            "UPDATE profiles SET name = $3, website = $4, product = $5, audience = $6, samples = $7,
                    updated_at = now()
              WHERE owner_id = $1 AND id = $2"
        }
    };
    let id = id.unwrap_or_else(Uuid::new_v4);
    let done = sqlx::query(sql)
        .bind(owner)
        .bind(id)
        .bind(&p.name)
        .bind(&p.website)
        .bind(&p.product)
        .bind(&p.audience)
        .bind(sqlx::types::Json(&p.samples))
        .execute(&ctx.pool)
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(id)
}

/// Deletes for good. Campaigns that used it keep their snapshot.
pub async fn delete(ctx: &Ctx, owner: Uuid, id: Uuid) -> Result<(), AppError> {
    let done = sqlx::query("DELETE FROM profiles WHERE owner_id = $1 AND id = $2")
        .bind(owner)
        .bind(id)
        .execute(&ctx.pool)
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_names_each_field() {
        let err = validate(&ProfileInput::default()).unwrap_err();
        assert_eq!(err.for_field("name").as_deref(), Some("Company name is required."));
        assert_eq!(err.for_field("product").as_deref(), Some("Product description is required."));
        assert_eq!(
            err.for_field("samples").as_deref(),
            Some("Add at least one writing sample (an email or post you wrote).")
        );
        let ok = validate(&ProfileInput {
            name: " Acme Data ".into(),
            website: "acme.example".into(),
            product: "A warehouse-native data quality tool".into(),
            audience: String::new(),
            samples: vec!["  Hi there  ".into(), "   ".into()],
        })
        .unwrap();
        assert_eq!(ok.name, "Acme Data");
        assert_eq!(ok.samples, vec!["Hi there".to_string()]);
    }
}
