//! `secctx effective FIXTURE PATH --tree`: every object under PATH where a
//! principal holds the rights asked, as AccessChk lists them.

use crate::cli::{Format, Outcome, Stop};
use secctx::fixture::{principal_token, tree_query, Stage, TreeRights};
use std::io::{self, Write};
use std::process::ExitCode;

/// The tree query's options.
pub struct TreeOptions {
    /// `--principal`.
    pub principal: Option<String>,
    /// `--rights`.
    pub rights: Option<String>,
}

/// Runs the tree query on `object` of the prepared `stage`.
pub fn run(stage: &Stage, file: &str, object: &str, opts: &TreeOptions, format: Format) -> Outcome {
    let Ok(root) = stage.world.lookup(object) else {
        return Err(Stop::Input(format!("{file} has no object at `{object}`")));
    };
    let rights = match &opts.rights {
        Some(r) => TreeRights::parse(r).map_err(|e| {
            Stop::Usage(format!(
                "--rights `{r}`: expected write, read, delete, change-permissions, take-ownership or rights joined with | ({e})"
            ))
        })?,
        None => TreeRights::Write,
    };
    let who = match &opts.principal {
        Some(n) => Some(principal_token(stage, n).ok_or_else(|| {
            Stop::Usage(format!(
                "--principal `{n}` is neither a token, a principal nor a SID of {file}"
            ))
        })?),
        None => None,
    };
    let hits = tree_query(stage, root, who, rights);
    let mut out = io::stdout().lock();
    match format {
        Format::Json => {
            for h in &hits {
                serde_json::to_writer(&mut out, h).map_err(io::Error::from)?;
                writeln!(out)?;
            }
        }
        Format::Text => {
            for h in &hits {
                writeln!(
                    out,
                    "{} ({})  {}  {}  via {}",
                    h.principal,
                    h.sid,
                    h.rights.describe(Some(h.kind)),
                    h.object,
                    h.via.join("; ")
                )?;
            }
            writeln!(out, "{} object(s)", hits.len())?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
