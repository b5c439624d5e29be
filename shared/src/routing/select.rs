//! Account selection: which of a provider's accounts to try for a model, and in what order. Pure.

use super::state::RoutingSnapshot;
use crate::store::{Connection, RoutingStrategy};

/// The accounts to try and those skipped for cooling down.
#[derive(Debug)]
pub struct Plan<'c> {
    /// Accounts to try, in order.
    pub order: Vec<&'c Connection>,
    /// Skipped accounts' cooldown ends.
    pub cooling_until: Vec<u64>,
}

impl Plan<'_> {
    /// Moves `account` to the front if it is in the plan (a conversation's own account goes first).
    pub fn prefer(&mut self, account: &str) {
        if let Some(position) = self.order.iter().position(|c| c.id == account) {
            let preferred = self.order.remove(position);
            self.order.insert(0, preferred);
        }
    }
}

/// Whether `connection` serves `model`: an explicit list must name it; without one any model passes through
/// (providers add models faster than tables do).
#[must_use]
pub fn offers(connection: &Connection, model: &str) -> bool {
    match &connection.models {
        Some(models) if !models.is_empty() => models.iter().any(|m| m == model),
        _ => true,
    }
}

/// Orders `connections` (enabled, in priority order) for `model`.
///
/// Fill-first keeps priority order. Round-robin rotates it by the request's `turn`, moving on every
/// `sticky_limit` turns. Accounts cooling down for the model are left out either way.
#[must_use]
pub fn plan<'c>(
    connections: &'c [Connection],
    model: &str,
    snapshot: &RoutingSnapshot,
    strategy: RoutingStrategy,
    turn: Option<u64>,
    sticky_limit: u32,
    now_ms: u64,
) -> Plan<'c> {
    let mut order: Vec<&Connection> = connections.iter().filter(|c| c.enabled && offers(c, model)).collect();
    if let (RoutingStrategy::RoundRobin, Some(turn), false) = (strategy, turn, order.is_empty()) {
        let len = u64::try_from(order.len()).unwrap_or(u64::MAX);
        let shift = (turn / u64::from(sticky_limit.max(1))) % len;
        order.rotate_left(usize::try_from(shift).unwrap_or(0));
    }
    let mut cooling_until = Vec::new();
    order.retain(|c| match snapshot.cooling_until(&c.id, model, now_ms) {
        Some(until) => {
            cooling_until.push(until);
            false
        }
        None => true,
    });
    Plan { order, cooling_until }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routing::policy::FailureClass;
    use crate::routing::state::{ProviderRoutingState, RoutingCommand};

    fn conn(id: &str, models: Option<&[&str]>) -> Connection {
        Connection {
            id: id.into(),
            provider: "openai".into(),
            name: id.into(),
            auth_type: "api_key".into(),
            api_key: None,
            base_url: None,
            priority: 0,
            enabled: true,
            models: models.map(|m| m.iter().map(|s| (*s).to_owned()).collect()),
            metadata: None,
            created_at: 0,
        }
    }

    fn ids(plan: &Plan<'_>) -> Vec<String> {
        plan.order.iter().map(|c| c.id.clone()).collect()
    }

    #[test]
    fn fill_first_keeps_priority_order_and_skips_cooling_accounts() {
        let conns = [conn("a", None), conn("b", None), conn("c", Some(&["other"]))];
        let mut state = ProviderRoutingState::default();
        let (snapshot, _) = state.apply(RoutingCommand::Fail {
            account: "a".into(),
            model: "m".into(),
            class: FailureClass::RateLimited,
            retry_after_ms: Some(1_000),
            now_ms: 0,
        });
        let p = plan(&conns, "m", &snapshot, RoutingStrategy::FillFirst, None, 1, 10);
        assert_eq!(ids(&p), ["b"]);
        assert_eq!(p.cooling_until, [1_000]);
        let later = plan(&conns, "m", &snapshot, RoutingStrategy::FillFirst, None, 1, 1_000);
        assert_eq!(ids(&later), ["a", "b"], "the cooled account returns after its time");
    }

    #[test]
    fn round_robin_rotates_and_sticks() {
        let conns = [conn("a", None), conn("b", None), conn("c", None)];
        let snap = RoutingSnapshot::default();
        let first = |turn, sticky| {
            ids(&plan(&conns, "m", &snap, RoutingStrategy::RoundRobin, Some(turn), sticky, 0))[0].clone()
        };
        assert_eq!([first(0, 1), first(1, 1), first(2, 1), first(3, 1)], ["a", "b", "c", "a"]);
        assert_eq!([first(0, 2), first(1, 2), first(2, 2), first(3, 2)], ["a", "a", "b", "b"]);
        assert_eq!(ids(&plan(&conns, "m", &snap, RoutingStrategy::RoundRobin, Some(1), 1, 0)), ["b", "c", "a"]);
    }
}
