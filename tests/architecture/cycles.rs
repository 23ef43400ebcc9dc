//! Finding cycles in a directed graph of module names.
//!
//! Every knot of modules that reach one another (a strongly connected component, found
//! with Tarjan's algorithm) is reported once, as its shortest cycle through its first
//! module by name: `apply → lint → apply`. Fixing that cycle may leave a smaller one in the
//! same knot, which the next run reports.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// Module → the modules it imports from.
pub type Graph = BTreeMap<String, BTreeSet<String>>;

/// Modules that reach one another, and one cycle among them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Knot {
    pub modules: BTreeSet<String>,
    /// Starts and ends with the knot's first module: `["apply", "lint", "apply"]`.
    pub cycle: Vec<String>,
}

/// Every knot of `graph`, in the order of their first modules.
pub fn knots(graph: &Graph) -> Vec<Knot> {
    components(graph)
        .into_iter()
        .filter_map(|modules| {
            let cycle = shortest_cycle(graph, &modules)?;
            Some(Knot { modules, cycle })
        })
        .collect()
}

/// `a → b → a`.
pub fn arrows(cycle: &[String]) -> String {
    cycle.join(" → ")
}

/// The strongly connected components of more than one module.
fn components(graph: &Graph) -> Vec<BTreeSet<String>> {
    let mut tarjan = Tarjan {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        knots: Vec::new(),
    };
    for node in graph.keys() {
        if !tarjan.index.contains_key(node.as_str()) {
            tarjan.visit(node);
        }
    }
    let mut knots = tarjan.knots;
    knots.sort();
    knots
}

struct Tarjan<'g> {
    graph: &'g Graph,
    index: BTreeMap<&'g str, usize>,
    low: BTreeMap<&'g str, usize>,
    stack: Vec<&'g str>,
    knots: Vec<BTreeSet<String>>,
}

impl<'g> Tarjan<'g> {
    fn visit(&mut self, node: &'g str) {
        let order = self.index.len();
        self.index.insert(node, order);
        self.low.insert(node, order);
        self.stack.push(node);
        for next in self.graph.get(node).into_iter().flatten() {
            let next = next.as_str();
            if !self.index.contains_key(next) {
                self.visit(next);
                self.lower(node, self.low[next]);
            } else if self.stack.contains(&next) {
                self.lower(node, self.index[next]);
            }
        }
        if self.low[node] == self.index[node] {
            self.close(node);
        }
    }

    fn lower(&mut self, node: &'g str, to: usize) {
        if let Some(low) = self.low.get_mut(node) {
            *low = (*low).min(to);
        }
    }

    /// Pops the component rooted at `node`; keeps it if it holds a cycle.
    fn close(&mut self, node: &'g str) {
        let mut knot = BTreeSet::new();
        while let Some(member) = self.stack.pop() {
            knot.insert(member.to_owned());
            if member == node {
                break;
            }
        }
        if knot.len() > 1 {
            self.knots.push(knot);
        }
    }
}

/// The shortest way from the knot's first module back to itself, inside the knot.
fn shortest_cycle(graph: &Graph, knot: &BTreeSet<String>) -> Option<Vec<String>> {
    let start = knot.first()?;
    let mut came_from: BTreeMap<&str, &str> = BTreeMap::new();
    let mut queue = VecDeque::from([start.as_str()]);
    while let Some(node) = queue.pop_front() {
        for next in graph.get(node).into_iter().flatten() {
            if next == start {
                let mut back = vec![start.clone()];
                let mut at = node;
                while at != start {
                    back.push(at.to_owned());
                    at = came_from[at];
                }
                back.push(start.clone());
                back.reverse();
                return Some(back);
            }
            if knot.contains(next) && !came_from.contains_key(next.as_str()) {
                came_from.insert(next, node);
                queue.push_back(next);
            }
        }
    }
    None
}
