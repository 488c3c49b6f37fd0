//! Which identity an old username became, for the services moving their data to `sub`.
