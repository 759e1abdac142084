//! `parindex token create --role ROLE [--db FILE]`: makes an API token and prints it once;
//! `parindex token list` shows every token (never a secret); `parindex token revoke ID`
//! stops one. Creating and revoking are recorded in the audit log.

use std::path::PathBuf;
use std::process::ExitCode;

use parindex::Locale;
use parindex_server::Role;
use parindex_store::{Store, time, tokens};

use super::context::Context;
use super::error::CliError;
use super::output::{eprint, print};
use super::terminal::escape_line;

/// Arguments of `parindex token`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: TokenCommand,
}

#[derive(Debug, clap::Subcommand)]
enum TokenCommand {
    /// Make a token; prints the secret (shown once, stored only as its SHA-256).
    Create(CreateArgs),
    /// List every token: number, role, label, created, expires, revoked (never the secret).
    List(DbArgs),
    /// Revoke a token by its number: it is refused from then on (recorded in the audit log).
    Revoke(RevokeArgs),
}

#[derive(Debug, clap::Args)]
struct DbArgs {
    /// The SQLite database file.
    #[arg(long, default_value = "parindex.db")]
    db: PathBuf,
}

#[derive(Debug, clap::Args)]
struct RevokeArgs {
    /// The token's number (see `parindex token list`).
    id: i64,
    /// The SQLite database file.
    #[arg(long, default_value = "parindex.db")]
    db: PathBuf,
}

#[derive(Debug, clap::Args)]
struct CreateArgs {
    /// admin, appraiser, appraiser:<agency>, council, auditor, or unit:<unit-id>.
    #[arg(long)]
    role: String,
    /// The SQLite database file (created if missing).
    #[arg(long, default_value = "parindex.db")]
    db: PathBuf,
    /// A label for people (who holds it).
    #[arg(long, default_value = "")]
    label: String,
    /// The token stops working after this many days.
    #[arg(long)]
    expires_in_days: Option<u32>,
}

/// Runs the subcommand.
/// Runs the subcommand; what it says is in the reader's locale (the list's header and
/// roles are identifiers and stay as they are).
pub fn run(args: Args, cx: Context) -> Result<ExitCode, CliError> {
    let en = cx.locale == Locale::En;
    match args.command {
        TokenCommand::Create(args) => create(args, en),
        TokenCommand::List(args) => list(&args.db, en),
        TokenCommand::Revoke(args) => revoke(&args, en),
    }
}

/// The usage error for a database file that is not there (`token`, `audit`, `backup`).
pub fn no_database(db: &std::path::Path) -> CliError {
    CliError::usage(format!("không có cơ sở dữ liệu tại {}", db.display()), format!("no database at {}", db.display()))
}

/// An existing database (these commands never create one).
fn existing(db: &std::path::Path) -> Result<Store, CliError> {
    if !db.is_file() {
        return Err(no_database(db));
    }
    Ok(Store::open(db)?)
}

/// Prints one line per token, tab-separated, under a header.
fn list(db: &std::path::Path, en: bool) -> Result<ExitCode, CliError> {
    let all = existing(db)?.read(|tx| tokens::list(tx))?;
    let mut out = String::from("id\trole\tlabel\tcreated_at\texpires_at\trevoked_at\n");
    let now = time::now_unix();
    for t in &all {
        let expires = t.expires_at.map_or_else(
            || "-".to_owned(),
            |at| {
                let mark = match (t.expired(now), en) {
                    (false, _) => "",
                    (true, true) => " (expired)",
                    (true, false) => " (đã hết hạn)",
                };
                format!("{}{mark}", time::rfc3339(at, 0))
            },
        );
        // Everything but the number is text from the database: each field is escaped on its
        // own (a tab or line break in it too), so that it cannot rewrite the terminal or
        // forge a column or a line.
        let fields = [
            t.id.to_string(),
            t.role.clone(),
            if t.label.is_empty() { "-".to_owned() } else { t.label.clone() },
            t.created_at.clone(),
            expires,
            t.revoked_at.clone().unwrap_or_else(|| "-".to_owned()),
        ];
        let fields: Vec<_> = fields.iter().map(|f| escape_line(f).into_owned()).collect();
        out.push_str(&fields.join("\t"));
        out.push('\n');
    }
    print(&out)?;
    Ok(ExitCode::SUCCESS)
}

/// Revokes one token.
fn revoke(args: &RevokeArgs, en: bool) -> Result<ExitCode, CliError> {
    let outcome = existing(&args.db)?.write(|tx| tokens::revoke(tx, "cli", args.id))?;
    match outcome {
        tokens::Revoked::Now(t) => {
            let (id, role, at) =
                (t.id, escape_line(&t.role), escape_line(&t.revoked_at.unwrap_or_default()).into_owned());
            eprint(&if en {
                format!("parindex: revoked token #{id} (role {role}) at {at}\n")
            } else {
                format!("parindex: đã thu hồi token #{id} (vai trò {role}) lúc {at}\n")
            });
            Ok(ExitCode::SUCCESS)
        }
        tokens::Revoked::Already(t) => {
            let (id, at) = (t.id, escape_line(&t.revoked_at.unwrap_or_default()).into_owned());
            eprint(&if en {
                format!("parindex: token #{id} was already revoked ({at})\n")
            } else {
                format!("parindex: token #{id} đã bị thu hồi từ trước ({at})\n")
            });
            Ok(ExitCode::SUCCESS)
        }
        tokens::Revoked::Unknown => Err(CliError::usage(
            format!("không có token số {} trong {}", args.id, args.db.display()),
            format!("no token number {} in {}", args.id, args.db.display()),
        )),
    }
}

/// Makes the token.
fn create(args: CreateArgs, en: bool) -> Result<ExitCode, CliError> {
    let Some(role) = Role::parse(&args.role) else {
        let roles = "admin, appraiser, appraiser:<agency>, council, auditor";
        return Err(CliError::usage(
            format!("vai trò '{}' không hợp lệ: dùng {roles} hoặc unit:<unit-id>", args.role),
            format!("unknown role '{}': use {roles} or unit:<unit-id>", args.role),
        ));
    };
    let expires_at = args.expires_in_days.map(|d| time::now_unix() + i64::from(d) * 86_400);
    let (token, secret) = Store::open(&args.db)
        .and_then(|store| store.write(|tx| tokens::create(tx, "cli", &role.as_string(), &args.label, expires_at)))?;
    let (id, role, db) = (token.id, &token.role, args.db.display());
    eprint(&if en {
        let expires = expires_at.map(|t| format!(", expires {}", time::rfc3339(t, 0))).unwrap_or_default();
        format!("parindex: token #{id} for role {role} in {db}{expires} (shown once; keep it secret)\n")
    } else {
        let expires = expires_at.map(|t| format!(", hết hạn {}", time::rfc3339(t, 0))).unwrap_or_default();
        format!("parindex: token #{id} cho vai trò {role} trong {db}{expires} (chỉ hiện một lần; hãy giữ bí mật)\n")
    });
    print(&format!("{secret}\n"))?;
    Ok(ExitCode::SUCCESS)
}
