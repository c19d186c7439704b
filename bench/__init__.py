"""`make bench`: speed and scale figures, each next to a baseline measured in the same run."""
