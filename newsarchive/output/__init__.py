"""What people and programs read: exports, terminal text, the HTML report."""
