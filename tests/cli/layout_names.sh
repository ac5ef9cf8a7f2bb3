# Image names from OCI layouts written by other tools: skopeo's `oci:DIR:NAME:TAG` ref names keep
# their name and tag (as localhost/NAME:TAG), so two of them pack together; a full reference
# keeps it; a bare tag names the image after the directory.
. "$(dirname "$0")/common.sh"

make_key k
skopeo copy -q "oci:$images/sample:1.0" oci:lay:base:1.0
skopeo copy -q "oci:$images/sample:2.0" oci:lay:base:2.0
skopeo copy -q "oci:$images/sample:1.0" oci:lay:example.com/team/app:3.1
skopeo copy -q "oci:$images/sample:2.0" oci:lay:7.0
airlock pack oci:lay:base:1.0 oci:lay:base:2.0 oci:lay:example.com/team/app:3.1 oci:lay:7.0 \
    -o names.bundle --sign-key k.key -q > /dev/null
zstd -dq < names.bundle | tar -xO bundle.json > names.json
assert_eq "$(jq -r '[.images[] | .name + ":" + .tags[0]] | join(" ")' names.json)" \
    "localhost/base:1.0 localhost/base:2.0 example.com/team/app:3.1 localhost/lay:7.0" "image names"
airlock import names.bundle --to oci:store --trusted-key k.pub -q > /dev/null
skopeo inspect oci:store:localhost/base:2.0 > /dev/null
