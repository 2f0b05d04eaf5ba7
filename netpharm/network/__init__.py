"""netpharm.network"""
