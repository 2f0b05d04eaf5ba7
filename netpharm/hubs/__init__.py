"""netpharm.hubs"""
