"""Read queries: SQL in, DataFrames or typed rows out, for the screens, packs and the command
line. Each SQL form of a rule sits beside a test that checks it against dashboard.rules."""
