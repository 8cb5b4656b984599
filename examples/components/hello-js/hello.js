export const greeter = {
  greet(name, o) {
    if (!name) throw "empty name";
    console.log("greeting " + name);
    let s = "hello " + name;
    return (o.loud ? s.toUpperCase() : s).repeat(o.times);
  }
};
