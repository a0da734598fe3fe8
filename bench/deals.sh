#!/bin/sh
# bench/deals.sh N DIR - the deals and items the doc-render benches render
# (doc-release.sh, doc-pdf.sh): DIR/deals.csv with N deals, DIR/items.csv
# with 5 to 20 lines each, the same bytes for the same N (awk's srand(26)).
N=${1:?usage: sh bench/deals.sh N DIR}
W=${2:?usage: sh bench/deals.sh N DIR}
awk -v n="$N" -v deals="$W/deals.csv" -v items="$W/items.csv" 'BEGIN {
	srand(26)
	print "deal_id,date,manager,client,client_inn,client_kpp,client_address,contract" > deals
	print "deal_id,name,qty,unit,price,vat_rate" > items
	for (i = 1; i <= n; i++) {
		id = sprintf("D-%06d", i)
		printf "%s,2026-11-%02d,m%d,ООО «Клиент %d»,77%08d,770101001,\"г. Москва, д. %d\",№ %d/26\n", \
		    id, i % 28 + 1, i % 7, i, i, i % 100 + 1, i >> deals
		k = 5 + int(rand() * 16)
		for (j = 1; j <= k; j++)
			printf "%s,Товар %d-%d,%d,шт.,%d.%02d,\n", id, i, j, 1 + int(rand() * 50), \
			    100 + int(rand() * 90000), int(rand() * 100) >> items
	}
}'
