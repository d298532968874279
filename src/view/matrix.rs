//! The effective-access matrix of an object as a coloured grid: one row
//! per principal (or token), one column per right, each cell granted,
//! denied or not granted, with what decided it in the cell's tooltip.

use super::escape;
use crate::fixture::{CellState, Matrix};
use std::fmt::Write as _;

const CELL: usize = 18;
const LEFT: usize = 170;
const TOP: usize = 150;

/// The colour and word for a cell's state.
fn state(s: CellState) -> (&'static str, &'static str) {
    match s {
        CellState::Granted => ("#59a14f", "granted"),
        CellState::Denied => ("#e15759", "denied"),
        CellState::NotGranted => ("#dddddd", "not granted"),
        #[allow(unreachable_patterns)]
        _ => ("#ffffff", "unknown"),
    }
}

/// Draws `m` as SVG. Each cell is a `<rect class="cell">` with
/// `data-state` and a `<title>` naming the principal, the right, the
/// state and the deciding ACE or rule.
pub fn render(m: &Matrix) -> String {
    let mut body = String::new();
    let _ = write!(
        body,
        r#"<text x="4" y="16" font-weight="bold">{} ({}): {}</text>"#,
        escape(&m.object),
        escape(m.kind.name()),
        escape(&m.sddl)
    );
    for (j, right) in m.rights.iter().enumerate() {
        let x = LEFT + j * CELL + CELL / 2;
        let _ = write!(
            body,
            r#"<text x="{x}" y="{y}" transform="rotate(-60 {x} {y})" font-size="10">{}</text>"#,
            escape(right),
            y = TOP - 4,
        );
    }
    for (i, row) in m.rows.iter().enumerate() {
        let y = TOP + i * CELL;
        let _ = write!(
            body,
            r#"<text x="4" y="{}">{}</text>"#,
            y + 13,
            escape(&row.principal)
        );
        for (j, cell) in row.cells.iter().enumerate() {
            let (fill, word) = state(cell.state);
            let by = cell
                .by
                .as_deref()
                .map(|b| format!(" by {b}"))
                .unwrap_or_default();
            let _ = write!(
                body,
                r##"<rect class="cell" data-state="{word}" x="{x}" y="{y}" width="{w}" height="{w}" fill="{fill}" stroke="#fff"><title>{p} / {r}: {word}{by}</title></rect>"##,
                x = LEFT + j * CELL,
                w = CELL - 1,
                p = escape(&row.principal),
                r = escape(&cell.right),
                by = escape(&by),
            );
        }
    }
    let width = (LEFT + m.rights.len() * CELL + 20).max(500);
    let height = TOP + m.rows.len() * CELL + 10;
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="matrix" width="{width}" height="{height}" font-family="sans-serif" font-size="12">{body}</svg>"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::{effective_matrix, Rows, Runner};

    /// Fixture 03's deny ACE shows as a denied cell whose tooltip names
    /// the deciding ACE (MS-DTYP 2.5.3.2: the first ACE to decide a bit
    /// decides it).
    #[test]
    fn cells_carry_state_and_deciding_ace() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures");
        let text = std::fs::read_to_string(format!("{dir}/03-ace-order.json")).unwrap_or_default();
        let stage = Runner::new().base(dir).inspect(&text, &mut |_, _| {});
        let Ok(stage) = stage else {
            unreachable!("fixture 03 runs")
        };
        let m = stage
            .world
            .lookup("canonical.txt")
            .ok()
            .and_then(|id| effective_matrix(&stage, id, Rows::Tokens));
        let Some(m) = m else {
            unreachable!("canonical.txt has a descriptor")
        };
        let svg = render(&m);
        let cells: usize = m.rows.iter().map(|r| r.cells.len()).sum();
        assert_eq!(svg.matches(r#"class="cell""#).count(), cells);
        assert!(svg.contains(r#"data-state="denied""#), "{svg}");
        assert!(svg.contains(": denied by D["), "{svg}");
    }
}
