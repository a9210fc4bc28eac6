"""What the test modules share: clients, corpora, targets, servers and clusters (imported as `support.<module>`)."""
