//! Object-type lists (MS-DTYP 2.5.3.2; `OBJECT_TYPE_LIST`): a tree of GUIDs
//! given in pre-order with a level per entry, used by AccessCheckByType and
//! AccessCheckByTypeResultList.

use super::err::AccessError;
use crate::ids::guid::Guid;

/// The deepest level Windows accepts (`ACCESS_MAX_LEVEL`).
pub const MAX_LEVEL: u16 = 4;

/// One entry of an object-type list.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, serde::Serialize)]
pub struct ObjectTypeNode {
    /// The depth: 0 for the single root (`ACCESS_OBJECT_GUID`), then 1
    /// (property sets), 2 (properties), up to `MAX_LEVEL` (4).
    pub level: u16,
    /// The object, property set or property GUID.
    pub guid: Guid,
}

/// A validated list with each node's subtree end and parent.
#[derive(Debug)]
pub(crate) struct Tree<'a> {
    pub(crate) nodes: &'a [ObjectTypeNode],
    end: Vec<usize>,
    parent: Vec<usize>,
}

const ROOT_PARENT: usize = usize::MAX;

impl<'a> Tree<'a> {
    /// Validates `nodes` as Windows does: the first entry is the only one
    /// at level 0, each entry is at most one level deeper than the one
    /// before it, no level exceeds [`MAX_LEVEL`], and no GUID repeats.
    pub(crate) fn new(nodes: &'a [ObjectTypeNode]) -> Result<Tree<'a>, AccessError> {
        let bad =
            |index: usize, reason: String| AccessError::InvalidObjectTypeList { index, reason };
        let mut parent = Vec::with_capacity(nodes.len());
        let mut stack: Vec<usize> = Vec::new();
        for (i, n) in nodes.iter().enumerate() {
            if n.level > MAX_LEVEL {
                return Err(bad(
                    i,
                    format!("level {} is deeper than the maximum {MAX_LEVEL}", n.level),
                ));
            }
            if i == 0 {
                if n.level != 0 {
                    return Err(bad(
                        0,
                        format!("the first entry must be at level 0, not {}", n.level),
                    ));
                }
                parent.push(ROOT_PARENT);
                stack.push(0);
                continue;
            }
            if n.level == 0 {
                return Err(bad(
                    i,
                    "a second entry at level 0; the list has one root".into(),
                ));
            }
            let prev = nodes[i - 1].level;
            if n.level > prev + 1 {
                return Err(bad(
                    i,
                    format!(
                        "level {} follows level {prev}; levels may only grow by one",
                        n.level
                    ),
                ));
            }
            if let Some(j) = nodes[..i].iter().position(|m| m.guid == n.guid) {
                return Err(bad(
                    i,
                    format!("GUID `{}` already appears at entry {j}", n.guid),
                ));
            }
            stack.truncate(n.level as usize);
            parent.push(*stack.last().unwrap_or(&0));
            stack.push(i);
        }
        let mut end = vec![nodes.len(); nodes.len()];
        for i in 0..nodes.len() {
            if let Some(j) = (i + 1..nodes.len()).find(|&j| nodes[j].level <= nodes[i].level) {
                end[i] = j;
            }
        }
        Ok(Tree { nodes, end, parent })
    }

    pub(crate) fn len(&self) -> usize {
        self.nodes.len()
    }

    /// The node with this GUID.
    pub(crate) fn find(&self, guid: &Guid) -> Option<usize> {
        self.nodes.iter().position(|n| n.guid == *guid)
    }

    /// The node and its descendants.
    pub(crate) fn subtree(&self, n: usize) -> std::ops::Range<usize> {
        n..self.end[n]
    }

    /// The node's parent, grandparent, … up to the root.
    pub(crate) fn ancestors(&self, n: usize) -> impl Iterator<Item = usize> + '_ {
        let mut at = self.parent[n];
        std::iter::from_fn(move || {
            if at == ROOT_PARENT {
                return None;
            }
            let r = at;
            at = self.parent[at];
            Some(r)
        })
    }

    /// The node's children.
    pub(crate) fn children(&self, n: usize) -> impl Iterator<Item = usize> + '_ {
        self.subtree(n)
            .skip(1)
            .filter(move |&c| self.parent[c] == n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(n: u8) -> Guid {
        let mut b = [0u8; 16];
        b[0] = n;
        Guid::from_bytes(b)
    }

    fn list(levels: &[u16]) -> Vec<ObjectTypeNode> {
        levels
            .iter()
            .enumerate()
            .map(|(i, &level)| ObjectTypeNode {
                level,
                guid: g(i as u8),
            })
            .collect()
    }

    #[test]
    fn structure_of_a_valid_tree() {
        // 0
        // ├─1
        // │ ├─2
        // │ └─3
        // └─4
        let l = list(&[0, 1, 2, 2, 1]);
        let t = Tree::new(&l).unwrap();
        assert_eq!(t.subtree(0), 0..5);
        assert_eq!(t.subtree(1), 1..4);
        assert_eq!(t.subtree(3), 3..4);
        assert_eq!(t.ancestors(3).collect::<Vec<_>>(), vec![1, 0]);
        assert_eq!(t.children(0).collect::<Vec<_>>(), vec![1, 4]);
        assert_eq!(t.children(1).collect::<Vec<_>>(), vec![2, 3]);
        assert_eq!(t.find(&g(4)), Some(4));
        assert_eq!(t.find(&g(9)), None);
    }

    #[test]
    fn invalid_trees_are_refused_with_the_entry() {
        let cases: &[(&[u16], usize, &str)] = &[
            (&[1], 0, "first entry must be at level 0"),
            (&[0, 2], 1, "levels may only grow by one"),
            (&[0, 1, 0], 2, "one root"),
            (&[0, 1, 2, 3, 4, 5], 5, "deeper than the maximum"),
        ];
        for (levels, index, text) in cases {
            let err = Tree::new(&list(levels)).unwrap_err();
            match err {
                AccessError::InvalidObjectTypeList { index: i, reason } => {
                    assert_eq!(i, *index, "{levels:?}");
                    assert!(reason.contains(text), "{reason}");
                }
                e => panic!("{e}"),
            }
        }
        let mut dup = list(&[0, 1, 1]);
        dup[2].guid = dup[1].guid;
        assert!(matches!(
            Tree::new(&dup),
            Err(AccessError::InvalidObjectTypeList { index: 2, .. })
        ));
    }
}
