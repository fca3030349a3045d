# Print the full hierarchical name of every signal of a VCD, with its bit range
# (top.eie_top.u_ccu.state_q[2:0]). Used by waves.sh and the view-signal test.
/\$scope/   { s[++d] = $3 }
/\$upscope/ { d-- }
/\$var/     { n = ""; for (i = 1; i <= d; i++) n = n (i > 1 ? "." : "") s[i]; r = ($6 == "$end") ? "" : $6; print n "." $5 r }
