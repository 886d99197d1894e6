//! The hot routes' statement budgets (`comptoir_e2e::STATEMENT_BUDGETS`):
//! under Spin each statement is a host call and the store is a fresh
//! connection per request, so what a route costs there is first how many
//! statements it runs. Counted through the host port, on either store.

use comptoir_e2e::{STATEMENT_BUDGETS, spawn_quiet_app};

#[tokio::test]
async fn the_hot_routes_keep_their_statement_budgets() -> anyhow::Result<()> {
    let app = spawn_quiet_app().await?;
    let counted = app.hot_route_statements().await?;
    let mut over = Vec::new();
    for ((route, status, statements), (_, budget)) in counted.iter().zip(STATEMENT_BUDGETS) {
        println!("{route:<50} {statements:>3} statements (budget {budget})");
        anyhow::ensure!(*status < 300, "{route} answered {status}");
        if statements > budget {
            over.push(format!("{route}: {statements} statements, budget {budget}"));
        }
    }
    assert!(over.is_empty(), "over budget: {over:#?}");
    Ok(())
}
