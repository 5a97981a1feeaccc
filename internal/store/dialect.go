package store

// The dialect seam: the few statements that differ between SQLite and
// PostgreSQL. Everything else is portable SQL with '?' placeholders that
// sqlx rebinds for the driver.

// tableExistsSQL counts tables named by its one parameter.
const tableExistsSQL = `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?`
