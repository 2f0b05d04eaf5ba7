"""netpharm.docking"""

from netpharm.docking.rdlog import route_rdkit_log

route_rdkit_log()
