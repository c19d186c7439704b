"""Where data lives: settings (built once), the database engine and its migrations, evidence
files on disk, and the seed and demo loaders."""
