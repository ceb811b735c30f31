#!/usr/bin/env bash
# arptables user chains: a jump loop is refused when a built-in chain reaches it (EMLINK, "Too many
# links", as nf_tables answers), renames move references, -X deletes only empty unreferenced chains.
arptables -N a; arptables -N b
arptables -A a -j b 2>&1; echo rc=$?
arptables -A b -j a 2>&1; echo rc=$?
arptables -A INPUT -j a 2>&1; echo rc=$?
arptables -A a -j a 2>&1; echo rc=$?
arptables-save | grep -v '^#'
arptables -E a INPUT 2>&1; echo rc=$?
arptables -E a b 2>&1; echo rc=$?
arptables -E a c 2>&1; echo rc=$?
arptables -L
arptables -P OUTPUT DROP; arptables -X 2>&1; echo rc=$?
arptables -F; arptables -X 2>&1; echo rc=$?
arptables -L -v
