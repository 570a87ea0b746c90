//! PEOPLE.yaml: who may connect to `microcred serve`, in what role, with which keys.
//! The format is described in `docs/serve.md`.

use std::collections::HashMap;
use std::path::Path;

use russh::keys::PublicKey;
use russh::keys::ssh_key::public::KeyData;
use serde::Deserialize;

use crate::edit::{Actor, Role};
use crate::model::Workspace;
use crate::path;
use crate::problem::{DocPath, Problem, Problems};
use crate::store::{self, yaml};

/// A role as written in PEOPLE.yaml.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RoleName {
    Designer,
    Partner,
    Viewer,
}

/// One entry of PEOPLE.yaml, as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonEntry {
    pub name: String,
    pub role: RoleName,
    /// The partner id this person reviews for (partners only).
    #[serde(default)]
    pub partner: Option<String>,
    /// OpenSSH public keys (`ssh-ed25519 AAAA… comment`).
    pub keys: Vec<String>,
    /// Their email address, for the `Co-authored-by:` lines of `serve --commit` (optional).
    #[serde(default)]
    pub email: Option<String>,
}

/// The file as written: a list of people.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeopleFile {
    pub people: Vec<PersonEntry>,
}

/// Who may connect: each key's owner.
#[derive(Debug, Clone, Default)]
pub struct People {
    /// Key (algorithm and key data, no comment) to the person's actor.
    by_key: HashMap<KeyData, Actor>,
    /// Name to email address, for those who gave one.
    emails: HashMap<String, String>,
}

fn key_id(k: &PublicKey) -> Option<KeyData> {
    Some(k.key_data().clone())
}

/// Can a key of this type log in? Only the types whose signatures russh, as built here,
/// verifies at login: ed25519, ECDSA and their security-key forms. An RSA or DSA key would be
/// taken here and then refused at every login, so it is refused here instead.
fn logs_in(k: &PublicKey) -> bool {
    matches!(
        k.key_data(),
        KeyData::Ed25519(_)
            | KeyData::Ecdsa(_)
            | KeyData::SkEd25519(_)
            | KeyData::SkEcdsaSha2NistP256(_)
    )
}

impl People {
    /// The actor whose key this is, if any.
    pub fn actor_for(&self, key: &PublicKey) -> Option<&Actor> {
        self.by_key.get(&key_id(key)?)
    }

    /// The email address of the person named `name`, if PEOPLE.yaml gives one.
    pub fn email(&self, name: &str) -> Option<&str> {
        self.emails.get(name).map(String::as_str)
    }

    /// How many keys are known.
    pub fn key_count(&self) -> usize {
        self.by_key.len()
    }

    /// Parse and check PEOPLE.yaml text; `name` labels problems. Partner ids are checked
    /// against `ws`.
    pub fn from_str(src: &str, name: &str, ws: &Workspace) -> Result<People, Problems> {
        let file: PeopleFile = yaml::parse_named(src, name)?;
        let mut problems = Vec::new();
        let err = |at: DocPath, msg: String, hint: &str| {
            let mut p = Problem::error(name, msg).hint(hint);
            if let Some((l, c)) = yaml::locate(src, &at) {
                p = p.at(l, c);
            }
            p
        };
        let mut people = People::default();
        let mut names: HashMap<String, usize> = HashMap::new();
        for (i, e) in file.people.iter().enumerate() {
            let person_name = crate::tui::form::clean(e.name.trim());
            if person_name.is_empty() {
                problems.push(err(
                    path!["people", i, "name"],
                    "the name is empty".into(),
                    "write the name shown on comments and agreements",
                ));
            } else if let Some(j) = names.insert(person_name.clone(), i) {
                problems.push(err(
                    path!["people", i, "name"],
                    format!("`{person_name}` is also the name of people[{j}]"),
                    "give each person a distinct name",
                ));
            }
            let role = match (e.role, &e.partner) {
                (RoleName::Designer, None) => Role::Designer,
                (RoleName::Viewer, None) => Role::Viewer,
                (RoleName::Partner, Some(p)) => {
                    if ws.partner(p).is_none() {
                        let known: Vec<&str> = ws.partners.iter().map(|p| p.id.as_str()).collect();
                        problems.push(err(
                            path!["people", i, "partner"],
                            format!("no partner `{p}` in the workspace"),
                            &format!("use one of: {}", known.join(", ")),
                        ));
                    }
                    Role::Partner(p.clone())
                }
                (RoleName::Partner, None) => {
                    problems.push(err(
                        path!["people", i, "role"],
                        "a partner needs `partner:` (the partner id they review for)".into(),
                        "add `partner: <id>` with an id from the workspace's partners",
                    ));
                    continue;
                }
                (_, Some(_)) => {
                    problems.push(err(
                        path!["people", i, "partner"],
                        "only partners have `partner:`".into(),
                        "remove it, or make the role `partner`",
                    ));
                    continue;
                }
            };
            if e.keys.is_empty() {
                problems.push(err(
                    path!["people", i, "keys"],
                    "no keys: this person could never connect".into(),
                    "add their OpenSSH public key (the line in ~/.ssh/id_ed25519.pub)",
                ));
            }
            if let Some(email) = &e.email {
                let email = email.trim();
                let fine = email.len() <= 254
                    && email.contains('@')
                    && !email
                        .chars()
                        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>'));
                if fine {
                    people.emails.insert(person_name.clone(), email.to_string());
                } else {
                    problems.push(err(
                        path!["people", i, "email"],
                        format!("`{email}` is not an email address"),
                        "write one address like `ann@college.example`, or leave `email:` out",
                    ));
                }
            }
            let actor = Actor {
                name: person_name,
                role,
            };
            for (k, text) in e.keys.iter().enumerate() {
                let at = path!["people", i, "keys", k];
                match PublicKey::from_openssh(text.trim()) {
                    Ok(key) if !logs_in(&key) => problems.push(err(
                        at,
                        format!(
                            "a `{}` key cannot log in to this server",
                            key.algorithm().as_str()
                        ),
                        "use an ed25519 key: ssh-keygen -t ed25519, then paste the line of ~/.ssh/id_ed25519.pub",
                    )),
                    Ok(key) => {
                        let Some(id) = key_id(&key) else {
                            problems.push(err(
                                at,
                                "this key cannot be encoded".into(),
                                "use an ed25519 or ECDSA key",
                            ));
                            continue;
                        };
                        if let Some(other) = people.by_key.insert(id, actor.clone()) {
                            problems.push(err(
                                at,
                                format!("this key also belongs to `{}`", other.name),
                                "each key identifies one person",
                            ));
                        }
                    }
                    Err(e) => problems.push(err(
                        at,
                        format!("not an OpenSSH public key: {e}"),
                        "paste one line like `ssh-ed25519 AAAAC3Nza… name@host`",
                    )),
                }
            }
        }
        if problems.is_empty() {
            Ok(people)
        } else {
            Err(Problems(problems))
        }
    }

    /// Read and check a PEOPLE.yaml file.
    pub fn load(path: &Path, ws: &Workspace) -> Result<People, Problems> {
        let src = store::read_text(path)?;
        People::from_str(&src, &path.display().to_string(), ws)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Partner;

    const KEY: &str =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGAMjOKHbSx6pAnRlqYc+GZjRSgDjUeaXdHOAHzUk2yS a@b";

    fn ws() -> Workspace {
        let mut ws = Workspace::default();
        ws.partners.push(Partner {
            id: "acme".into(),
            name: "Acme".into(),
            kind: crate::model::PartnerKind::Industry,
        });
        ws
    }

    #[test]
    fn an_email_is_kept_for_commits_and_a_bad_one_is_located() {
        let src = format!(
            "people:\n- name: Ana\n  role: partner\n  partner: acme\n  email: ana@acme.example\n  keys: [\"{KEY}\"]\n"
        );
        let p = People::from_str(&src, "people.yaml", &ws()).expect("valid");
        assert_eq!(p.email("Ana"), Some("ana@acme.example"));
        assert_eq!(p.email("Bo"), None);
        let bad = src.replace("ana@acme.example", "Ana <ana@acme.example>");
        let e = People::from_str(&bad, "people.yaml", &ws())
            .expect_err("refused")
            .to_string();
        assert!(e.starts_with("people.yaml:5:"), "{e}");
        assert!(e.contains("is not an email address"), "{e}");
    }

    #[test]
    fn reads_people_and_finds_them_by_key() {
        let src = format!(
            "people:\n- name: Ana\n  role: partner\n  partner: acme\n  keys: [\"{KEY}\"]\n"
        );
        let p = People::from_str(&src, "people.yaml", &ws()).expect("valid");
        let key = PublicKey::from_openssh(KEY).expect("key");
        let a = p.actor_for(&key).expect("known");
        assert_eq!(a.name, "Ana");
        assert_eq!(a.role, Role::Partner("acme".into()));
    }

    #[test]
    fn a_key_refused_at_login_is_refused_at_start_with_its_place() {
        let rsa = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDTjLJO8uXcoiUB9C06f2KtL+zm7KBbJtkVYpsaxPmXcFvQovIe68jm+EOwPlWyk6u/l+1Hn2ppwf1Fc51isms+R7LVkqHTXb6CnXR1k233WlZoSgwFJ/gpfcNzTrYBmAW//cwifjlHk8QlXEwR4KMveI/SbFl5DDz5k/68l/x5ww== rsa@test";
        let src =
            format!("people:\n- name: Ana\n  role: designer\n  keys:\n    - {KEY}\n    - {rsa}\n");
        let e = People::from_str(&src, "people.yaml", &ws()).expect_err("an RSA key");
        let text = e.to_string();
        assert!(text.contains("people.yaml:6:7"), "{text}");
        assert!(text.contains("ssh-rsa"), "{text}");
        assert!(text.contains("ssh-keygen -t ed25519"), "{text}");
        // ECDSA keys (P-256, P-384, P-521) are verified at login, so they are taken.
        let ecdsa = "ecdsa-sha2-nistp521 AAAAE2VjZHNhLXNoYTItbmlzdHA1MjEAAAAIbmlzdHA1MjEAAACFBACGqK8YxnGZLwAvbhFcy6Hxa8P7XB0S8PEmQRtMT1opWs9B/6q5C8LBhr9Jp/d+8iE7ihoBsdAdDOSYnh0PddQjfAExu1JO5DLEllFR1miwPwlZuKAWfLzJylxj/yxVkjDyn97H9+gwIyN8HJmbz2sHJelR6m/4RZfRA1avzLD+8w2SLQ== e";
        let src = format!("people:\n- name: Ana\n  role: designer\n  keys: [\"{ecdsa}\"]\n");
        assert!(People::from_str(&src, "people.yaml", &ws()).is_ok());
    }

    #[test]
    fn located_problems() {
        let src = format!(
            "people:\n- name: Ana\n  role: partner\n  partner: nope\n  keys: [\"{KEY}\"]\n- name: Bo\n  role: designer\n  keys: [\"ssh-ed25519 xx\"]\n  shoe: 1\n"
        );
        let e = People::from_str(&src, "people.yaml", &ws()).expect_err("invalid");
        let text = e.to_string();
        assert!(text.contains("people.yaml:"), "{text}");
        assert!(text.contains("shoe"), "{text}");
        let src = format!(
            "people:\n- name: Ana\n  role: partner\n  partner: nope\n  keys: [\"{KEY}\"]\n- name: Bo\n  role: designer\n  keys: [\"ssh-ed25519 xx\"]\n"
        );
        let e = People::from_str(&src, "people.yaml", &ws()).expect_err("invalid");
        let text = e.to_string();
        assert!(text.contains("people.yaml:4:"), "{text}");
        assert!(text.contains("no partner `nope`"), "{text}");
        assert!(text.contains("people.yaml:8:"), "{text}");
    }
}
