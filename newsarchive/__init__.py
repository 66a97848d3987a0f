"""newsarchive: an evidence-grade archive of Chinese government news and its reprints."""
