"""The peer-challenge pack: read once (`gather`), then made as a tagged PDF (`pdf`) and as a zip
holding that PDF, an index spreadsheet and every stored evidence file (`archive`)."""
