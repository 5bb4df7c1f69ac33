"""sitegen: the static-site generator of the "Vì người nghèo" movement site."""
