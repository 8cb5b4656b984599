import colorless


def greeting(names, shout=False):
    text = "Hello, " + " and ".join(names) + "!"
    return colorless.boxed(text.upper() if shout else text)
