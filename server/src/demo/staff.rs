//! Demo staff: an admin, an organiser of 南桥镇, a door account, 星澜苑's sales office and
//! a survey analyst, each with a random password that the server prints once, when it
//! creates them.

use crate::error::AppResult;
use crate::staff::passwords;
use crate::store::Store;
use model::{Grant, Role, Scope, Town};

/// A demo account and its password, to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoAccount {
    pub login: &'static str,
    pub role: Role,
    pub password: String,
}

/// Three groups of four letters and digits: easy to copy, 60+ bits of chance.
fn random_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let group = || -> String {
        (0..4)
            .map(|_| char::from(ALPHABET[rand::random_range(0..ALPHABET.len())]))
            .collect()
    };
    format!("{}-{}-{}", group(), group(), group())
}

pub async fn seed(store: &Store, now: i64) -> AppResult<Vec<DemoAccount>> {
    let nanqiao = vec![Scope::Town(Town::Nanqiao)];
    // 星澜苑, the first demo project: its sales office, and the door there too.
    let xinglan = store
        .staff_projects()
        .await?
        .into_iter()
        .find(|p| p.draft.name.zh.contains("星澜苑"))
        .map(|p| Scope::Project(p.id));
    let mut door = nanqiao.clone();
    door.extend(xinglan);
    let accounts = [
        ("admin", Role::Admin, vec![]),
        ("nanqiao", Role::Organiser, nanqiao),
        ("door", Role::Door, door),
        (
            "xinglan",
            Role::ProjectOffice,
            xinglan.into_iter().collect(),
        ),
        // The district's survey analyst: waves, paper entry, results.
        ("analyst", Role::Analyst, vec![]),
    ];
    let mut made = Vec::new();
    for (login, role, scopes) in accounts {
        let password = random_password();
        let hash = passwords::hash(&password);
        store
            .create_account(login, &hash, &Grant { role, scopes }, None, now)
            .await?;
        made.push(DemoAccount {
            login,
            role,
            password,
        });
    }
    Ok(made)
}
