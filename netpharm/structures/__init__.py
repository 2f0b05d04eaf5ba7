"""netpharm.structures"""
