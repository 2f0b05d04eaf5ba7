"""netpharm.sources"""
