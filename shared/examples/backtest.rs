//! Prints how well the stock forecast ([`comptoir_shared::forecast`]) does
//! on generated seasonal sales histories with stockouts, against the
//! seasonal-naive baseline (the same weekday last week):
//!
//!     cargo run -q -p comptoir-shared --example backtest [days] [seeds…]
//!
//! Rolling origin: fit on the first 84 days, forecast 14, move on 14, score
//! only days in stock. WAPE = Σ|error| / Σ sold; MASE = mean |error| over
//! the in-sample mean |error| of the seasonal-naive forecast.

use comptoir_shared::forecast::{backtest, generate};

fn main() {
    let mut args = std::env::args().skip(1);
    let days = args.next().and_then(|d| d.parse().ok()).unwrap_or(364);
    let seeds: Vec<u64> = args.filter_map(|s| s.parse().ok()).collect();
    let seeds = if seeds.is_empty() {
        vec![7, 1, 42, 2024]
    } else {
        seeds
    };
    println!(
        "{days} days of generated sales per seed (weekly profile, slow level change, 3 stockouts)"
    );
    println!(
        "{:>6} {:>6} {:>11} {:>11} {:>11} {:>11} {:>7}",
        "seed", "scored", "model WAPE", "naive WAPE", "model MASE", "naive MASE", "beats"
    );
    for seed in seeds {
        let (history, first_weekday) = generate(days, seed);
        match backtest(&history, first_weekday, 14, 84) {
            Some(b) => println!(
                "{seed:>6} {:>6} {:>11.4} {:>11.4} {:>11.4} {:>11.4} {:>7}",
                b.days,
                b.model.wape,
                b.seasonal_naive.wape,
                b.model.mase,
                b.seasonal_naive.mase,
                b.model.wape < b.seasonal_naive.wape && b.model.mase < b.seasonal_naive.mase
            ),
            None => println!("{seed:>6} (too short to score)"),
        }
    }
}
