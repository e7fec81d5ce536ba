# CoreDNS as kubeadm deploys it: root with only NET_BIND_SERVICE (its Deployment drops the rest).
FROM scratch
COPY coredns /coredns
EXPOSE 53 53/udp
ENTRYPOINT ["/coredns"]
