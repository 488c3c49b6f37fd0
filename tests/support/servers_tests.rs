//! The parts of the throwaway servers that run without starting one.

use super::*;

fn nowhere() -> Search {
    Search {
        path: OsString::new(),
        pg_lib: "/nonexistent/postgresql".into(),
    }
}

/// The line a test fails with when there is no server and nothing to start one with.
#[test]
fn without_binaries_each_server_fails_in_one_line_naming_its_package() {
    let postgres = start_postgres(&nowhere(), "postgres://root@127.0.0.1:5432/test (refused)");
    let redis = start_redis(&nowhere(), "redis://127.0.0.1:6379 (refused)");
    for (line, package, variable) in [
        (postgres.unwrap_err(), "`postgresql`", "POSTERN_PG_URL"),
        (redis.unwrap_err(), "`redis-server`", "POSTERN_REDIS_URL"),
    ] {
        assert!(!line.contains('\n'), "{line}");
        assert!(
            line.contains(&format!("install the Debian package {package}")),
            "{line}"
        );
        assert!(line.contains(variable), "{line}");
        assert!(
            line.contains("(refused)"),
            "says why the default did not do: {line}"
        );
    }
}

#[test]
fn binaries_are_looked_for_on_path_then_in_the_newest_debian_version() {
    use std::os::unix::fs::PermissionsExt;
    let root = tempfile::tempdir().unwrap();
    let program = |dir: &str, name: &str| {
        let dir = root.path().join(dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(name), "").unwrap();
        std::fs::set_permissions(dir.join(name), std::fs::Permissions::from_mode(0o755)).unwrap();
        dir
    };
    let half = program("path", "initdb");
    program("lib/9.6/bin", "initdb");
    program("lib/9.6/bin", "postgres");
    let newest = program("lib/15/bin", "initdb");
    program("lib/15/bin", "postgres");
    program("lib/common/bin", "initdb");
    let mut search = Search {
        path: std::env::join_paths([&half]).unwrap(),
        pg_lib: root.path().join("lib"),
    };
    assert_eq!(search.find(&["initdb", "postgres"]), Some(newest));
    let both = program("both", "initdb");
    program("both", "postgres");
    search.path = std::env::join_paths([&half, &both]).unwrap();
    assert_eq!(search.find(&["initdb", "postgres"]), Some(both));
    assert_eq!(search.find(&["redis-server"]), None);
}
