#!/usr/bin/env bash
# tests/tls/gen-certs.sh DIR: throwaway certificates for the TLS tests, made
# with openssl at test time (nothing secret is committed):
#   ca.crt/ca.key                  the CA servers trust for client certificates
#   server.crt/server.key          signed by it, for localhost and 127.0.0.1
#   client.crt/client.key          signed by it, for clientAuth
#   other-ca.crt, other-client.*   a second CA and a client it signed (untrusted)
#   server-enc.key                 server.key encrypted (PKCS#8, AES-256-CBC), password "vermilion-test"
#   ca-dir/                        ca.crt alone, hash-named (openssl rehash), for tls-ca-cert-dir
set -euo pipefail
dir=$1
mkdir -p "$dir/ca-dir"
cd "$dir"
mkca() { # name
  openssl req -x509 -new -nodes -newkey rsa:2048 -sha256 -days 30 \
    -keyout "$1.key" -out "$1.crt" -subj "/O=Vermilion Test/CN=$1" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
}
mkleaf() { # name ca usage [san]
  local name=$1 ca=$2 usage=$3 san=${4:-}
  openssl req -new -nodes -newkey rsa:2048 -sha256 -keyout "$name.key" \
    -subj "/O=Vermilion Test/CN=$name" -out "$name.csr" 2>/dev/null
  {
    echo "basicConstraints=CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=$usage"
    [ -n "$san" ] && echo "subjectAltName=$san"
  } > "$name.ext"
  openssl x509 -req -sha256 -days 30 -in "$name.csr" -CA "$ca.crt" -CAkey "$ca.key" \
    -CAcreateserial -extfile "$name.ext" -out "$name.crt" 2>/dev/null
  rm -f "$name.csr" "$name.ext"
}

mkca ca
mkca other-ca
mkleaf server ca serverAuth "DNS:localhost,IP:127.0.0.1"
mkleaf client ca clientAuth
mkleaf other-client other-ca clientAuth
openssl pkcs8 -topk8 -v2 aes-256-cbc -in server.key -out server-enc.key -passout pass:vermilion-test
cp ca.crt ca-dir/
openssl rehash ca-dir
rm -f ./*.srl
