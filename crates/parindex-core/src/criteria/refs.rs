//! References between items (SPEC §11.3): resolving a formula's `refs` to nodes once, when the
//! set is loaded, checking them, finding cycles, and ordering the nodes so that every ref is
//! evaluated before the formula that reads it. Scoring never looks a code up by name.

use super::load::Builder;
use super::{Counts, NodeId, NodeKind, Source};
use crate::diagnostic::Code;
use crate::reader::Reader;
use crate::rule::Rule;
use parindex_json::pointer_child;

/// How to evaluate a set whose formulas have refs, at each stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefPlan {
    /// Every node, ordered so that a leaf comes after the nodes its formula references and
    /// a group after its children.
    order: Vec<NodeId>,
    /// The nodes of `order` whose points scoring needs at every stage, in that order.
    evaluated: Vec<NodeId>,
}

impl RefPlan {
    /// The evaluation order: each node after everything it depends on.
    pub fn order(&self) -> &[NodeId] {
        &self.order
    }

    /// The nodes whose points scoring needs at every stage, in evaluation order: every leaf
    /// whose formula has refs (derived items among them) and, transitively, what each
    /// depends on — a ref's target, a group's children. Every other node is scored from its
    /// entries alone, as in a set without refs.
    pub fn evaluated(&self) -> &[NodeId] {
        &self.evaluated
    }
}

/// Resolves every formula's refs to node ids and checks them; returns the evaluation plan
/// when at least one formula has refs.
pub(super) fn resolve(b: &mut Builder, r: &mut Reader<'_>) -> Option<RefPlan> {
    let n = b.nodes.len();
    let mut any = false;
    // Dependency edges used for cycles and order: ref targets of each leaf.
    let mut edges: Vec<Vec<(NodeId, String)>> = vec![Vec::new(); n];
    for i in 0..n {
        let Some(node) = b.nodes.get(i) else { continue };
        let NodeKind::Leaf(leaf) = &node.kind else { continue };
        let Rule::Formula(f) = &leaf.rule else { continue };
        if f.refs.is_empty() {
            continue;
        }
        any = true;
        let code = node.code.clone();
        let path = b.paths.get(i).cloned().unwrap_or_default();
        let refs_path = pointer_child(&pointer_child(&path, "rule"), "refs");
        let mut resolved = Vec::with_capacity(f.refs.len());
        for fr in &f.refs {
            r.criterion = Some(code.clone());
            let p = pointer_child(&refs_path, &fr.name);
            let Some(&target) = b.by_code.get(&fr.code) else {
                r.error(
                    Code::UnknownCriterion,
                    &p,
                    format!("the reference '{}' names '{}', which is not a criterion of this set", fr.name, fr.code),
                );
                resolved.push(None);
                continue;
            };
            if target.0 == i || is_ancestor(b, target, NodeId(i)) {
                let what = if target.0 == i { "the item itself" } else { "a group above the item" };
                r.error(
                    Code::ReferenceCycle,
                    &p,
                    format!(
                        "the reference '{}' names {what} ('{}'): an item cannot depend on itself",
                        fr.name, fr.code
                    ),
                );
                resolved.push(None);
                continue;
            }
            let Some(t) = b.nodes.get(target.0) else {
                resolved.push(None);
                continue;
            };
            if t.counts != Counts::Score {
                r.error(
                    Code::InputType,
                    &p,
                    format!(
                        "the reference '{}' names '{}', a bonus or penalty item: refs name scored items only",
                        fr.name, fr.code
                    ),
                );
                resolved.push(None);
                continue;
            }
            if t.leaf().is_some_and(|l| l.source == Source::Survey) {
                r.error(
                    Code::InputType,
                    &p,
                    format!("the reference '{}' names '{}', a survey item, which has no stages", fr.name, fr.code),
                );
                resolved.push(None);
                continue;
            }
            if let Some(e) = edges.get_mut(i) {
                e.push((target, fr.name.clone()));
            }
            resolved.push(Some(target));
        }
        if let Some(NodeKind::Leaf(leaf)) = b.nodes.get_mut(i).map(|n| &mut n.kind)
            && let Rule::Formula(f) = &mut leaf.rule
        {
            for (fr, id) in f.refs.iter_mut().zip(resolved) {
                fr.node = id;
            }
        }
    }
    r.criterion = None;
    if !any {
        return None;
    }
    report_cycles(b, &edges, r);
    let order = evaluation_order(b, &edges);
    let needed = needed(b, &edges);
    let evaluated = order.iter().copied().filter(|id| needed.get(id.0).copied().unwrap_or(false)).collect();
    Some(RefPlan { order, evaluated })
}

/// Which nodes [`RefPlan::evaluated`] holds: the leaves whose formulas have refs, and
/// everything they depend on, transitively.
fn needed(b: &Builder, edges: &[Vec<(NodeId, String)>]) -> Vec<bool> {
    let n = b.nodes.len();
    let mut need = vec![false; n];
    let mut stack: Vec<usize> = (0..n)
        .filter(|&i| {
            b.nodes
                .get(i)
                .and_then(|node| node.leaf())
                .is_some_and(|l| matches!(&l.rule, Rule::Formula(f) if !f.refs.is_empty()))
        })
        .collect();
    for &i in &stack {
        if let Some(slot) = need.get_mut(i) {
            *slot = true;
        }
    }
    while let Some(i) = stack.pop() {
        for d in dependencies(b, edges, i) {
            if let Some(slot) = need.get_mut(d.0)
                && !*slot
            {
                *slot = true;
                stack.push(d.0);
            }
        }
    }
    need
}

fn is_ancestor(b: &Builder, group: NodeId, of: NodeId) -> bool {
    let mut current = b.nodes.get(of.0).and_then(|n| n.parent);
    while let Some(p) = current {
        if p == group {
            return true;
        }
        current = b.nodes.get(p.0).and_then(|n| n.parent);
    }
    false
}

/// What a node depends on: a leaf on its refs, a group on its children.
fn dependencies(b: &Builder, edges: &[Vec<(NodeId, String)>], i: usize) -> Vec<NodeId> {
    match b.nodes.get(i).map(|n| &n.kind) {
        Some(NodeKind::Group { children }) => children.clone(),
        Some(NodeKind::Leaf(_)) => edges.get(i).map(|e| e.iter().map(|(t, _)| *t).collect()).unwrap_or_default(),
        None => Vec::new(),
    }
}

/// Reports each strongly connected component of more than one node once (Tarjan's
/// algorithm, iterative), at the first leaf in document order whose ref stays in it.
fn report_cycles(b: &Builder, edges: &[Vec<(NodeId, String)>], r: &mut Reader<'_>) {
    let n = b.nodes.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0usize; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<usize> = Vec::new();
    let mut next = 0usize;
    let mut components: Vec<Vec<usize>> = Vec::new();
    for start in 0..n {
        if index.get(start).is_some_and(|&x| x != usize::MAX) {
            continue;
        }
        // (node, its dependencies, position in them)
        let mut work: Vec<(usize, Vec<NodeId>, usize)> = vec![(start, dependencies(b, edges, start), 0)];
        set(&mut index, start, next);
        set(&mut low, start, next);
        next += 1;
        stack.push(start);
        set(&mut on_stack, start, true);
        while let Some((v, deps, pos)) = work.last_mut() {
            let v = *v;
            if let Some(w) = deps.get(*pos).map(|d| d.0) {
                *pos += 1;
                if index.get(w).is_some_and(|&x| x == usize::MAX) {
                    set(&mut index, w, next);
                    set(&mut low, w, next);
                    next += 1;
                    stack.push(w);
                    set(&mut on_stack, w, true);
                    work.push((w, dependencies(b, edges, w), 0));
                } else if on_stack.get(w).copied().unwrap_or(false) {
                    let m = low.get(v).copied().unwrap_or(0).min(index.get(w).copied().unwrap_or(0));
                    set(&mut low, v, m);
                }
                continue;
            }
            work.pop();
            if let Some((u, _, _)) = work.last() {
                let m = low.get(*u).copied().unwrap_or(0).min(low.get(v).copied().unwrap_or(0));
                set(&mut low, *u, m);
            }
            if low.get(v) == index.get(v) {
                let mut component = Vec::new();
                while let Some(w) = stack.pop() {
                    set(&mut on_stack, w, false);
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                if component.len() > 1 {
                    components.push(component);
                }
            }
        }
    }
    for mut component in components {
        component.sort_unstable();
        let inside = |id: NodeId| component.contains(&id.0);
        let at = component.iter().find_map(|&i| {
            edges.get(i).and_then(|e| e.iter().find(|(t, _)| inside(*t))).map(|(_, name)| (i, name.clone()))
        });
        let Some((i, name)) = at else { continue };
        let codes: Vec<&str> = component.iter().filter_map(|&c| b.nodes.get(c)).map(|n| n.code.as_str()).collect();
        let code = b.nodes.get(i).map(|n| n.code.clone()).unwrap_or_default();
        r.criterion = Some(code);
        let path = b.paths.get(i).cloned().unwrap_or_default();
        r.error(
            Code::ReferenceCycle,
            &pointer_child(&pointer_child(&pointer_child(&path, "rule"), "refs"), &name),
            format!("these items depend on each other in a cycle: {}", codes.join(", ")),
        );
    }
    r.criterion = None;
}

fn set<T>(v: &mut [T], i: usize, x: T) {
    if let Some(slot) = v.get_mut(i) {
        *slot = x;
    }
}

/// Every node after its dependencies (a post-order walk from each node in document order);
/// with a cycle (a set that is never scored) the order is still complete.
fn evaluation_order(b: &Builder, edges: &[Vec<(NodeId, String)>]) -> Vec<NodeId> {
    let n = b.nodes.len();
    let mut state = vec![0u8; n]; // 0 new, 1 in progress, 2 done
    let mut order = Vec::with_capacity(n);
    for start in 0..n {
        if state.get(start).copied() != Some(0) {
            continue;
        }
        let mut work: Vec<(usize, Vec<NodeId>, usize)> = vec![(start, dependencies(b, edges, start), 0)];
        set(&mut state, start, 1);
        while let Some((v, deps, pos)) = work.last_mut() {
            if let Some(w) = deps.get(*pos).map(|d| d.0) {
                *pos += 1;
                if state.get(w).copied() == Some(0) {
                    set(&mut state, w, 1);
                    work.push((w, dependencies(b, edges, w), 0));
                }
                continue;
            }
            let v = *v;
            work.pop();
            set(&mut state, v, 2);
            order.push(NodeId(v));
        }
    }
    order
}
