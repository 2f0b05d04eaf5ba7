"""The compounds stage (issue 19): compound and disease targets, their intersection, the compound–target network,
drug-likeness."""
