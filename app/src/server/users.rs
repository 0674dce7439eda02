//! Accounts: sign-up, sign-in, password change. Emails are stored trimmed and lowercase.

use uuid::Uuid;

use super::session::{self, Auth};
use super::throttle::{self, Rule};
use super::{Ctx, password};
use crate::error::{AppError, Validator};
use crate::model::UserInfo;

/// Trims and lowercases an email and checks its shape (not deliverability).
pub fn normalize_email(raw: &str) -> Result<String, String> {
    let email = raw.trim().to_lowercase();
    let Some((local, domain)) = email.split_once('@') else {
        return Err("Enter an email address like name@company.com.".into());
    };
    let ok = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && email.len() <= 254
        && !email.chars().any(char::is_whitespace);
    if ok { Ok(email) } else { Err("Enter an email address like name@company.com.".into()) }
}

fn check_new(email: &str, password: &str) -> Result<String, AppError> {
    let normalized = normalize_email(email);
    let rules = password::check_rules(password);
    let mut v = Validator::default();
    if let Err(m) = &normalized {
        v.check(false, "email", m.clone());
    }
    if let Err(m) = &rules {
        v.check(false, "password", m.clone());
    }
    v.finish()?;
    Ok(normalized.unwrap_or_default())
}

/// Creates an account and its first session. Returns the cookie token. Sign-ups are
/// counted per client address (each one costs a password hash and an account row).
pub async fn signup(
    ctx: &Ctx,
    email: &str,
    password: &str,
    client: Option<&str>,
) -> Result<(UserInfo, String), AppError> {
    let email = check_new(email, password)?;
    if let Some(ip) = client.filter(|_| ctx.settings.signup_max_per_address > 0) {
        let rule = Rule::signup(&ctx.settings);
        throttle::attempt(&ctx.pool, &rule, &[format!("signup:{ip}")]).await?.admit().await?;
    }
    let hash = password::hash(password.to_string()).await?;
    let id = Uuid::new_v4();
    let plan = ctx.settings.default_plan.clone();
    let inserted = sqlx::query(
        "INSERT INTO users (id, email, password_hash, plan) VALUES ($1, $2, $3, $4)
         ON CONFLICT (email) DO NOTHING",
    )
    .bind(id)
    .bind(&email)
    .bind(&hash)
    .bind(&plan)
    .execute(&ctx.pool)
    .await?;
    if inserted.rows_affected() == 0 {
        return Err(AppError::field("email", "An account with this email already exists. Sign in instead."));
    }
    let token = session::create(&ctx.pool, id).await?;
    tracing::info!(user = %id, "account created");
    Ok((UserInfo { id, email, plan }, token))
}

/// Checks a password sign-in, with throttling per email and client address. The error
/// for an unknown email and for a wrong password is the same.
pub async fn login(
    ctx: &Ctx,
    email: &str,
    password: &str,
    client: Option<&str>,
) -> Result<(UserInfo, String), AppError> {
    let wrong = || AppError::field("password", "That email and password do not match.");
    let email = normalize_email(email).map_err(|m| AppError::field("email", m))?;
    // Counted as a failure from here on, until the password turns out right.
    let attempt =
        throttle::attempt(&ctx.pool, &Rule::login(&ctx.settings), &throttle::keys(&email, client)).await?;
    attempt.admit().await?;
    let row: Option<(Uuid, String, String)> =
        sqlx::query_as("SELECT id, password_hash, plan FROM users WHERE email = $1")
            .bind(&email)
            .fetch_optional(&ctx.pool)
            .await?;
    let stored = row.as_ref().map(|(_, h, _)| h.clone());
    let ok = password::verify(password.to_string(), stored).await?;
    match row {
        Some((id, _, plan)) if ok => {
            throttle::succeeded(&ctx.pool, &attempt).await?;
            let token = session::create(&ctx.pool, id).await?;
            Ok((UserInfo { id, email, plan }, token))
        }
        _ => Err(wrong()),
    }
}

/// Changes the password after checking the current one; ends every other session.
/// Wrong current passwords are throttled per user like sign-ins (a stolen session must
/// not become a way to guess the password).
pub async fn change_password(ctx: &Ctx, auth: &Auth, current: &str, new: &str) -> Result<u64, AppError> {
    if let Err(m) = password::check_rules(new) {
        return Err(AppError::field("new_password", m));
    }
    let keys = [format!("user:{}", auth.user.id)];
    let attempt = throttle::attempt(&ctx.pool, &Rule::login(&ctx.settings), &keys).await?;
    attempt.admit().await?;
    let stored: Option<String> = sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
        .bind(auth.user.id)
        .fetch_optional(&ctx.pool)
        .await?;
    if stored.is_none() {
        return Err(AppError::Unauthorized);
    }
    if !password::verify(current.to_string(), stored).await? {
        return Err(AppError::field("current_password", "The current password is not correct."));
    }
    let hash = password::hash(new.to_string()).await?;
    let mut tx = ctx.pool.begin().await?;
    sqlx::query("UPDATE users SET password_hash = $2 WHERE id = $1")
        .bind(auth.user.id)
        .bind(hash)
        .execute(&mut *tx)
        .await?;
    let ended = sqlx::query("DELETE FROM sessions WHERE owner_id = $1 AND token_hash <> $2")
        .bind(auth.user.id)
        .bind(&auth.token_hash)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    tx.commit().await?;
    throttle::succeeded(&ctx.pool, &attempt).await?;
    Ok(ended)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_trimmed_and_lowercased() {
        assert_eq!(normalize_email("  Ana@Example.COM "), Ok("ana@example.com".into()));
        assert!(normalize_email("ana.example.com").is_err());
        assert!(normalize_email("ana@localhost").is_err());
        assert!(normalize_email("@example.com").is_err());
        assert!(normalize_email("a b@example.com").is_err());
    }
}
